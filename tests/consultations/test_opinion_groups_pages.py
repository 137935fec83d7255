"""The opinion-groups page: vote from the card and change a vote in the list, add a statement, hostile
text renders as text, closed phases and bad input say why and change nothing, flags and hiding, the
rate limits, the stored groups shown (picture and table) without naming anyone, and a pinned query count."""

from __future__ import annotations

import itertools

import pytest

from gorod.accounts.models import User
from gorod.consultations.contributions import Flag
from gorod.consultations.opinion_groups.models import Statement, StatementVote
from gorod.consultations.opinion_groups.services import groups_recompute, statement_add, vote_cast
from gorod.consultations.services import module_add
from tests.query_counts import assert_pinned, get, growing

pytestmark = pytest.mark.usefixtures("english")
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
counter = itertools.count()
PINNED = 13


@pytest.fixture(autouse=True)
def in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def conversation(make_project):
    phase = make_project(state="open", slug="square").phase_list()[0]
    return module_add(phase=phase, kind="opinion_groups", title="What should the square be?")


@pytest.fixture
def moderator(db):
    return User.objects.create_user(username="mod", password="x-pass-12345", role=User.Role.MODERATOR)


def url(module, tail=""):
    return f"/projects/{module.phase.project.slug}/opinions/{module.pk}/{tail}"


def people(n):
    return [
        User.objects.create_user(
            username=f"voter-{next(counter)}", password="x-pass-12345", role=User.Role.CITIZEN
        )
        for _ in range(n)
    ]


def camps(module, n_a: int = 8, n_b: int = 6):
    """Two camps that agree on two statements and split on four."""
    texts = ["Keep the old lime trees", "Add benches in the shade", "Close the square to cars",
             "Build an underground car park", "Hold a weekly market here", "Remove the kiosks",
             "Paint the fence green"]  # fmt: skip
    crowd = people(n_a + n_b)
    statements = [statement_add(module=module, user=crowd[0], text=t) for t in texts]
    for i, person in enumerate(crowd):
        for j, statement in enumerate(statements):
            choice = 1 if j < 2 else 0 if j == 6 else (1 if (i < n_a) == (j % 2 == 0) else -1)
            vote_cast(statement=statement, user=person, choice=choice)
    return crowd, statements


def test_vote_from_the_card_then_change_it_in_the_list(client, conversation, citizen):
    [author] = people(1)
    first = statement_add(module=conversation, user=author, text="More trees on the square")
    second = statement_add(module=conversation, user=author, text="A fountain in the middle")
    client.force_login(citizen)
    page = client.get(url(conversation)).content.decode()
    assert "You have voted on 0 of 2 statements." in page
    response = client.post(
        url(conversation, f"{first.pk}/vote/"), {"choice": "1", "from": "next"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("#vote")
    page = response.content.decode()
    assert "Counted: you agree." in page and "You have voted on 1 of 2 statements." in page
    assert 'id="next-statement"' in page and "A fountain in the middle" in page
    client.post(url(conversation, f"{second.pk}/vote/"), {"choice": "0", "from": "next"})
    response = client.post(url(conversation, f"{first.pk}/vote/"), {"choice": "-1"}, follow=True)
    assert "Counted: you disagree." in response.content.decode()
    assert "You have voted on every statement." in response.content.decode()
    assert StatementVote.objects.get(statement=first, user=citizen).choice == -1


def test_add_a_statement_through_the_page(client, conversation, citizen):
    client.force_login(citizen)
    response = client.post(url(conversation, "add/"), {"text": "More trees on the square"}, follow=True)
    assert "Your statement is added" in response.content.decode()
    assert Statement.objects.get().author == citizen


@pytest.mark.parametrize("choice", ["5", "", "agree", "-", "1e3"])
def test_a_bad_vote_says_why_and_changes_nothing(client, conversation, citizen, choice):
    [author] = people(1)
    statement = statement_add(module=conversation, user=author, text="More trees on the square")
    client.force_login(citizen)
    response = client.post(url(conversation, f"{statement.pk}/vote/"), {"choice": choice}, follow=True)
    assert response.status_code == 200
    assert "Choose agree, disagree or pass." in response.content.decode()
    assert not StatementVote.objects.filter(user=citizen).exists()


def test_a_bad_statement_says_why_and_saves_nothing(client, conversation, citizen):
    client.force_login(citizen)
    response = client.post(url(conversation, "add/"), {"text": "x" * 500}, follow=True)
    assert "Write at most 140 characters." in response.content.decode()
    assert not Statement.objects.exists()


def test_hostile_text_renders_as_text(client, conversation, citizen):
    statement_add(module=conversation, user=citizen, text=HOSTILE[:140])
    page = client.get(url(conversation)).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_visitor_is_asked_to_sign_in_and_cannot_vote(client, conversation, citizen):
    statement = statement_add(module=conversation, user=citizen, text="More trees on the square")
    page = client.get(url(conversation)).content.decode()
    assert "Sign in to take part." in page
    response = client.post(url(conversation, f"{statement.pk}/vote/"), {"choice": "1"}, follow=True)
    assert "Sign in to take part." in response.content.decode()
    assert StatementVote.objects.count() == 1  # the author's own


def test_a_closed_phase_says_why_and_a_vote_changes_nothing(client, make_project, citizen):
    phase = make_project(state="open", slug="old").phase_list()[0]
    module = module_add(phase=phase, kind="opinion_groups", title="Past")
    statement = statement_add(module=module, user=citizen, text="More trees on the square")
    from gorod.core import clock

    [voter] = people(1)
    client.force_login(voter)
    with clock.frozen(phase.ends):
        assert "contributions are no longer taken" in client.get(url(module)).content.decode()
        response = client.post(url(module, f"{statement.pk}/vote/"), {"choice": "1"}, follow=True)
        assert "contributions are no longer taken" in response.content.decode()
    assert not StatementVote.objects.filter(user=voter).exists()


def test_unknown_and_foreign_statements_are_404(client, conversation, make_project, citizen):
    other_phase = make_project(state="open", slug="other").phase_list()[0]
    other = module_add(phase=other_phase, kind="opinion_groups", title="Other")
    foreign = statement_add(module=other, user=citizen, text="A statement elsewhere")
    client.force_login(citizen)
    assert client.post(url(conversation, "999999/vote/"), {"choice": "1"}).status_code == 404
    assert client.post(url(conversation, f"{foreign.pk}/vote/"), {"choice": "1"}).status_code == 404
    assert client.get(url(conversation, "add/")).status_code == 405
    wall = module_add(phase=conversation.phase, kind="idea_wall", title="Ideas")
    assert client.get(url(wall)).status_code == 404


def test_an_unpublished_project_is_hidden_from_residents(client, make_project, citizen):
    phase = make_project(state="open", slug="draft", published=False).phase_list()[0]
    module = module_add(phase=phase, kind="opinion_groups", title="Draft")
    client.force_login(citizen)
    assert client.get(url(module)).status_code == 404


def test_flag_then_a_moderator_hides_with_the_reason_in_place(client, conversation, citizen, moderator):
    statement = statement_add(module=conversation, user=citizen, text="Something rude about people")
    [reader] = people(1)
    client.force_login(reader)
    client.post(f"/projects/square/m/{conversation.pk}/flag/statement/{statement.pk}/", {"reason": "rude"})
    assert Flag.objects.filter(target="statement", target_id=statement.pk).count() == 1
    client.force_login(moderator)
    client.post(
        f"/projects/square/m/{conversation.pk}/moderate/statement/{statement.pk}/", {"reason": "Insults"}
    )
    statement.refresh_from_db()
    assert statement.hidden
    page = client.get(url(conversation)).content.decode()
    assert "Hidden by a moderator." in page and "Insults" in page
    assert "Something rude about people" not in page


def test_votes_and_statements_are_rate_limited(client, conversation, citizen, write_limits):
    from django.core.cache import cache

    cache.clear()
    [author] = people(1)
    statement = statement_add(module=conversation, user=author, text="More trees on the square")
    client.force_login(citizen)
    votes = [
        client.post(url(conversation, f"{statement.pk}/vote/"), {"choice": "1"}).status_code
        for _ in range(61)
    ]
    assert votes[:60] == [302] * 60 and votes[60] == 429
    adds = [
        client.post(url(conversation, "add/"), {"text": f"Statement number {i} here"}).status_code
        for i in range(11)
    ]
    assert adds[:10] == [302] * 10 and adds[10] == 429
    assert Statement.objects.filter(author=citizen).count() == 10
    cache.clear()


def test_the_groups_show_as_picture_and_table_and_name_nobody(client, conversation):
    crowd, _statements = camps(conversation)
    page = client.get(url(conversation)).content.decode()
    assert "have not been worked out yet" in page
    groups_recompute(module=conversation)
    page = client.get(url(conversation)).content.decode()
    assert "Worked out on" in page
    assert 'class="og-scatter"' in page and page.count("<use ") == len(crowd)
    assert "Group 1: 8 participants" in page and "Group 2: 6 participants" in page
    consensus = page.split('id="consensus"')[1].split("</section>")[0]
    assert "Keep the old lime trees" in consensus and "Add benches in the shade" in consensus
    assert "Close the square to cars" not in consensus
    assert (
        "100% of this group agree (others: 0%)" in page or "100% of this group disagree (others: 0%)" in page
    )
    for person in crowd:
        assert person.username not in page


def test_a_statement_hidden_after_the_computation_leaves_the_results(client, conversation, moderator):
    _crowd, statements = camps(conversation)
    groups_recompute(module=conversation)
    from gorod.consultations import contributions

    contributions.hide(item=statements[0], reason="Off topic", actor=moderator)
    page = client.get(url(conversation)).content.decode()
    assert "Keep the old lime trees" not in page


def test_the_page_is_pinned(client, conversation):
    crowd, _statements = camps(conversation)
    [viewer] = people(1)

    def add(k: int) -> None:
        for _ in range(k):
            statement = statement_add(
                module=conversation, user=crowd[0], text=f"Statement number {next(counter)}"
            )
            for i, voter in enumerate(crowd[1:]):
                vote_cast(statement=statement, user=voter, choice=1 if i < 7 else -1)
        groups_recompute(module=conversation)

    client.force_login(viewer)
    assert groups_recompute(module=conversation).grouped == len(crowd)
    # city, session, user, module, statements, own votes, the result, its groups, their shares, consensus,
    # the next statement; and the viewer's ban look-up for voting and for adding (access.refusal).
    assert_pinned(PINNED, growing(add, get(client, url(conversation))))


@pytest.mark.parametrize(("language", "foreign"), [("ru", r"[A-Za-z]{2,}"), ("en", r"[А-Яа-яЁё]{2,}")])
def test_the_page_reads_in_one_language(client, make_project, admin_user, language, foreign):
    """Interface words only in the page's language: the statements are in one language for both, and so
    are the module's and project's titles (data, not interface)."""
    import re

    from tests.backoffice.test_translations import _shown

    phase = make_project(state="open", slug="lang", title="Square").phase_list()[0]
    module = module_add(phase=phase, kind="opinion_groups", title="Square")
    crowd = people(14)
    texts = [f"Number {chr(65 + j)} statement" for j in range(7)]
    statements = [statement_add(module=module, user=crowd[0], text=t) for t in texts]
    for i, person in enumerate(crowd):
        for j, statement in enumerate(statements):
            vote_cast(
                statement=statement,
                user=person,
                choice=1 if j < 2 else (1 if (i < 8) == (j % 2 == 0) else -1),
            )
    groups_recompute(module=module)
    client.force_login(crowd[1])
    html = client.get(url(module), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'class="og-scatter"' in html
    data = {*texts, "Square", "Phase (open)", *(p.username for p in crowd)}
    words = set(re.findall(foreign, _shown(html, data))) - {"Gorod", "TOTP"}
    assert not words, sorted(words)
