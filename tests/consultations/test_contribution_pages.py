"""The Q&A and idea wall pages: hostile text renders as text, a closed phase says why, flags and hiding
(hide-don't-delete with the reason in place), the rate limit, and pinned query counts."""

from __future__ import annotations

import itertools

import pytest

from gorod.accounts.models import User
from gorod.consultations import contributions
from gorod.consultations.contributions import Flag
from gorod.consultations.errors import Refused
from gorod.consultations.ideas.services import idea_comment, idea_post, idea_support
from gorod.consultations.questions.models import Question
from gorod.consultations.questions.services import answer_post, question_ask, question_upvote
from gorod.consultations.services import module_add
from tests.query_counts import assert_pinned, get, growing

pytestmark = pytest.mark.usefixtures("english")
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
counter = itertools.count()


@pytest.fixture(autouse=True)
def in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def qa(make_project):
    phase = make_project(state="open", slug="park").phase_list()[0]
    return module_add(phase=phase, kind="questions", title="Ask us")


@pytest.fixture
def wall(qa):
    return module_add(phase=qa.phase, kind="idea_wall", title="Idea wall")


@pytest.fixture
def official(db):
    return User.objects.create_user(username="olga", password="x-pass-12345", role=User.Role.EXECUTOR)


@pytest.fixture
def moderator(db):
    return User.objects.create_user(username="mod", password="x-pass-12345", role=User.Role.MODERATOR)


def qa_url(module, tail=""):
    return f"/projects/{module.phase.project.slug}/questions/{module.pk}/{tail}"


def wall_url(module, tail=""):
    return f"/projects/{module.phase.project.slug}/ideas/{module.pk}/{tail}"


def people(n):
    return [
        User.objects.create_user(
            username=f"p{next(counter)}", password="x-pass-12345", role=User.Role.CITIZEN
        )
        for _ in range(n)
    ]


def test_ask_through_the_page_and_see_the_official_answer(client, qa, citizen, official):
    client.force_login(citizen)
    response = client.post(qa_url(qa, "ask/"), {"text": "Where will the playground go?"}, follow=True)
    assert "Your question is published" in response.content.decode()
    question = Question.objects.get()
    client.force_login(official)
    client.post(qa_url(qa, f"{question.pk}/answer/"), {"text": "By the north gate, as on plan 2."})
    page = client.get(qa_url(qa)).content.decode()
    assert "Official answer" in page and "By the north gate" in page


def test_hostile_html_renders_as_text_everywhere(client, qa, wall, citizen, official):
    question = question_ask(module=qa, user=citizen, text=HOSTILE)
    answer_post(question=question, user=official, text=HOSTILE)
    idea = idea_post(module=wall, user=citizen, title=HOSTILE[:120], text=HOSTILE)
    idea_comment(idea=idea, user=citizen, text=HOSTILE)
    for url in (qa_url(qa), wall_url(wall)):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_closed_phase_says_why_on_the_page_and_a_post_changes_nothing(client, make_project, citizen):
    phase = make_project(state="closed", slug="old").phase_list()[0]
    module = module_add(phase=phase, kind="questions", title="Past")
    client.force_login(citizen)
    assert "contributions are no longer taken" in client.get(qa_url(module)).content.decode()
    response = client.post(qa_url(module, "ask/"), {"text": "Is it too late to ask?"}, follow=True)
    assert "contributions are no longer taken" in response.content.decode()
    assert not Question.objects.exists()


def test_unknown_modules_and_items_are_404(client, qa, wall, citizen):
    client.force_login(citizen)
    assert client.get(qa_url(wall)).status_code == 404  # an idea wall is not a Q&A
    assert client.post(qa_url(qa, "999/upvote/")).status_code == 404
    assert client.post(f"/projects/park/m/{qa.pk}/flag/nonsense/1/").status_code == 404
    assert client.get(qa_url(qa, "ask/")).status_code == 405


def test_an_unpublished_projects_modules_are_hidden_from_residents(client, make_project, citizen):
    phase = make_project(state="open", slug="draft", published=False).phase_list()[0]
    module = module_add(phase=phase, kind="idea_wall", title="Ideas")
    client.force_login(citizen)
    assert client.get(wall_url(module)).status_code == 404


def test_flag_once_then_a_moderator_hides_with_a_reason_shown_in_place(client, wall, citizen, moderator):
    idea = idea_post(module=wall, user=citizen, title="Something rude")
    [reader] = people(1)
    client.force_login(reader)
    client.post(f"/projects/park/m/{wall.pk}/flag/idea/{idea.pk}/", {"reason": "rude"})
    response = client.post(f"/projects/park/m/{wall.pk}/flag/idea/{idea.pk}/", follow=True)
    assert "already flagged" in response.content.decode()
    assert Flag.objects.filter(target="idea", target_id=idea.pk).count() == 1

    # A resident cannot hide; a moderator must give a reason.
    client.post(f"/projects/park/m/{wall.pk}/moderate/idea/{idea.pk}/", {"reason": "no"})
    idea.refresh_from_db()
    assert not idea.hidden
    with pytest.raises(Refused, match="Say why"):
        contributions.hide(item=idea, reason=" ", actor=moderator)

    client.force_login(moderator)
    client.post(f"/projects/park/m/{wall.pk}/moderate/idea/{idea.pk}/", {"reason": "Insults <b>x</b>"})
    idea.refresh_from_db()
    assert idea.hidden and idea.hidden_reason == "Insults <b>x</b>"
    page = client.get(wall_url(wall)).content.decode()
    assert "Hidden by a moderator." in page and "Insults &lt;b&gt;x&lt;/b&gt;" in page
    assert "Something rude" not in page
    with pytest.raises(Refused, match="hidden"):
        idea_support(idea=idea, user=reader)

    client.post(f"/projects/park/m/{wall.pk}/moderate/idea/{idea.pk}/", {"show": "1"})
    idea.refresh_from_db()
    assert not idea.hidden and idea.hidden_reason == ""


def test_questions_are_limited_like_reports(client, qa, citizen, write_limits):
    from django.core.cache import cache

    cache.clear()
    client.force_login(citizen)
    statuses = [
        client.post(qa_url(qa, "ask/"), {"text": f"Question number {i} here?"}).status_code for i in range(11)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    assert Question.objects.count() == 10
    cache.clear()


def test_the_qa_page_is_pinned(client, qa, official):
    def add(k: int) -> None:
        asker, *voters = people(3)
        for _ in range(k):
            question = question_ask(module=qa, user=asker, text=f"Question {next(counter)} please?")
            answer_post(question=question, user=official, text="An answer for everyone.")
            for voter in voters:
                question_upvote(question=question, user=voter)

    [viewer] = people(1)
    client.force_login(viewer)
    # session, user, city, module, questions (with upvotes), answers; and a signed-in viewer's ban
    # look-up for the ask form and for upvoting (access.refusal), once each whatever the page's size.
    assert_pinned(8, growing(add, get(client, qa_url(qa))))


def test_the_idea_wall_is_pinned(client, wall):
    def add(k: int) -> None:
        author, *others = people(3)
        for _ in range(k):
            idea = idea_post(module=wall, user=author, title=f"Idea {next(counter)}")
            for other in others:
                idea_support(idea=idea, user=other)
                idea_comment(idea=idea, user=other, text="Good one")

    # city, module, ideas (with support), comments.
    assert_pinned(4, growing(add, get(client, wall_url(wall))))
