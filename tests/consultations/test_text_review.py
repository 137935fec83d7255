"""Text review: staff set a draft as paragraphs, residents comment on one; closed phases refuse; hidden
comments keep their place and are not counted; Markdown in the draft is sanitized."""

from __future__ import annotations

import pytest

from gorod.consultations import contributions
from gorod.consultations.contributions import Flag
from gorod.consultations.errors import Refused
from gorod.consultations.services import module_add
from gorod.consultations.text_review import selectors
from gorod.consultations.text_review.models import Paragraph, ParagraphComment
from gorod.consultations.text_review.services import draft_set, paragraph_comment

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def moderator(db):
    from gorod.accounts.models import User

    return User.objects.create_user(username="mod", password="x-pass-12345", role=User.Role.MODERATOR)


DRAFT = (
    "# Rules of the park\n\nDogs on a lead.\n\n\nNo fires <script>alert(1)</script> [x](javascript:alert(1))"
)


def make_draft(make_project, admin_user, state="open", slug="rules"):
    phase = make_project(state=state, slug=slug).phase_list()[0]
    module = module_add(phase=phase, kind="text_review", title="Park rules")
    return module, draft_set(module=module, actor=admin_user, text=DRAFT)


def test_the_draft_is_split_at_blank_lines(make_project, admin_user):
    _module, paragraphs = make_draft(make_project, admin_user)
    assert [p.text for p in paragraphs][:2] == ["# Rules of the park", "Dogs on a lead."]
    assert len(paragraphs) == 3


def test_comments_are_listed_under_their_paragraph_with_counts(make_project, admin_user, citizen, moderator):
    module, paragraphs = make_draft(make_project, admin_user)
    first = paragraph_comment(paragraph=paragraphs[1], user=citizen, text="Not in the far meadow, please.")
    paragraph_comment(paragraph=paragraphs[1], user=citizen, text="And a dog area")
    contributions.hide(item=first, reason="Off topic", actor=moderator)
    listed = {p.pk: p for p in selectors.module_paragraphs(module)}
    assert listed[paragraphs[1].pk].comment_count == 1
    assert [c.hidden for c in listed[paragraphs[1].pk].comments.all()] == [True, False]
    assert listed[paragraphs[0].pk].comment_count == 0


def test_a_closed_phase_refuses_comments(make_project, admin_user, citizen):
    _module, paragraphs = make_draft(make_project, admin_user, state="closed")
    with pytest.raises(Refused, match="closed on"):
        paragraph_comment(paragraph=paragraphs[0], user=citizen, text="Too late?")
    assert not ParagraphComment.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"), [("", "at least 3"), ("x" * 1001, "at most 1000"), ("a\x00bc", "stored")]
)
def test_bad_comments_are_refused(make_project, admin_user, citizen, text, message):
    _module, paragraphs = make_draft(make_project, admin_user)
    with pytest.raises(Refused, match=message):
        paragraph_comment(paragraph=paragraphs[0], user=citizen, text=text)
    assert not ParagraphComment.objects.exists()


def test_the_draft_stays_once_commented_and_residents_cannot_set_it(make_project, admin_user, citizen):
    module, paragraphs = make_draft(make_project, admin_user)
    with pytest.raises(Refused, match="administrators"):
        draft_set(module=module, actor=citizen, text="Mine")
    paragraph_comment(paragraph=paragraphs[0], user=citizen, text="Good title")
    with pytest.raises(Refused, match="has comments"):
        draft_set(module=module, actor=admin_user, text="New text")
    assert Paragraph.objects.filter(module=module).count() == 3


def test_an_empty_draft_is_refused(make_project, admin_user):
    phase = make_project(state="open", slug="empty").phase_list()[0]
    module = module_add(phase=phase, kind="text_review", title="Draft")
    with pytest.raises(Refused, match="empty"):
        draft_set(module=module, actor=admin_user, text=" \n\n ")


def test_a_comment_can_be_flagged_once(make_project, admin_user, citizen):
    module, paragraphs = make_draft(make_project, admin_user)
    comment = paragraph_comment(paragraph=paragraphs[0], user=citizen, text="Hmm, fine")
    contributions.flag_add(module=module, target="paragraph_comment", item=comment, user=citizen)
    with pytest.raises(Refused, match="already flagged"):
        contributions.flag_add(module=module, target="paragraph_comment", item=comment, user=citizen)
    assert Flag.objects.filter(target="paragraph_comment", target_id=comment.pk).count() == 1


def test_paragraphs_take_two_queries(make_project, admin_user, citizen, django_assert_num_queries):
    module, paragraphs = make_draft(make_project, admin_user)
    for p in paragraphs:
        paragraph_comment(paragraph=p, user=citizen, text="A comment")
    with django_assert_num_queries(2):
        listed = list(selectors.module_paragraphs(module))
        assert sum(len(p.comments.all()) for p in listed) == 3


def test_premoderated_comments_wait_for_a_moderator_and_show_to_their_author_only(
    make_project, admin_user, citizen, moderator
):
    from gorod.accounts.models import User
    from gorod.consultations.models import Module
    from gorod.consultations.services import project_update

    module, paragraphs = make_draft(make_project, admin_user)
    project_update(project=module.phase.project, premoderated=True)
    paragraph = Paragraph.objects.select_related("module__phase__project").get(pk=paragraphs[1].pk)
    comment = paragraph_comment(paragraph=paragraph, user=citizen, text="Held until a moderator looks")
    assert comment.awaiting
    module = Module.objects.get(pk=module.pk)
    other = User.objects.create_user(username="other", password="x-pass-12345", role=User.Role.CITIZEN)

    def listed(user):
        return {p.pk: p for p in selectors.module_paragraphs(module, user=user)}[paragraph.pk]

    assert listed(other).comment_count == 0 and list(listed(other).comments.all()) == []
    assert [c.pk for c in listed(citizen).comments.all()] == [comment.pk]
    assert "paragraph_comment" in contributions.REGISTRY  # so the moderation desk lists it
