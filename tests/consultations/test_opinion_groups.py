"""Opinion groups' services: statements (moderated, length-limited, the author agrees), one changeable vote
per person and statement, refusals that change nothing (closed phase, ban, hidden, bad input), and the
worker's recomputation that stores groups without naming anyone."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gorod.accounts.models import User
from gorod.consultations import contributions, moderation
from gorod.consultations.errors import Refused
from gorod.consultations.models import Participation
from gorod.consultations.opinion_groups import selectors, tasks
from gorod.consultations.opinion_groups.models import (
    Consensus,
    GroupShare,
    OpinionGroup,
    OpinionResult,
    RecomputeRequest,
    Statement,
    StatementVote,
)
from gorod.consultations.opinion_groups.services import (
    groups_recompute,
    recompute_requested,
    statement_add,
    vote_cast,
)
from gorod.consultations.services import module_add
from gorod.core import clock

pytestmark = pytest.mark.usefixtures("english")
AGREE, DISAGREE, PASS = 1, -1, 0


@pytest.fixture
def conversation(make_project):
    phase = make_project(state="open", slug="square").phase_list()[0]
    return module_add(phase=phase, kind="opinion_groups", title="What should the square be?")


@pytest.fixture
def neighbour(db):
    return User.objects.create_user(username="boris", password="x-pass-12345", role=User.Role.CITIZEN)


def residents(n: int) -> list[User]:
    return [
        User.objects.create_user(username=f"r{i}", password="x-pass-12345", role=User.Role.CITIZEN)
        for i in range(n)
    ]


def test_a_statement_is_added_and_its_author_agrees(conversation, citizen):
    statement = statement_add(module=conversation, user=citizen, text="  More trees on the square  ")
    assert statement.text == "More trees on the square"
    assert not statement.seeded
    assert StatementVote.objects.get(statement=statement).choice == AGREE
    assert Participation.objects.filter(user=citizen).exists()
    assert RecomputeRequest.objects.filter(module=conversation).exists()


@pytest.mark.parametrize("text", ["", "   ", "too short", "x" * 141, "nul \x00 inside here"])
def test_bad_statements_are_refused_and_nothing_is_saved(conversation, citizen, text):
    with pytest.raises(Refused) as exc:
        statement_add(module=conversation, user=citizen, text=text)
    assert exc.value.field == "text"
    assert not Statement.objects.exists() and not StatementVote.objects.exists()
    assert not Participation.objects.exists() and not RecomputeRequest.objects.exists()


def test_a_duplicate_statement_is_refused(conversation, citizen, neighbour):
    statement_add(module=conversation, user=citizen, text="More trees on the square")
    with pytest.raises(Refused, match="already here"):
        statement_add(module=conversation, user=neighbour, text="more trees on the SQUARE")
    assert Statement.objects.count() == 1


def test_markup_is_stored_as_typed(conversation, citizen):
    statement = statement_add(module=conversation, user=citizen, text="<script>alert(1)</script> trees")
    assert statement.text == "<script>alert(1)</script> trees"


def test_one_vote_per_person_and_it_can_change(conversation, citizen, neighbour):
    statement = statement_add(module=conversation, user=citizen, text="More trees on the square")
    vote_cast(statement=statement, user=neighbour, choice=AGREE)
    vote_cast(statement=statement, user=neighbour, choice="-1")
    vote_cast(statement=statement, user=neighbour, choice=PASS)
    votes = StatementVote.objects.filter(statement=statement, user=neighbour)
    assert votes.count() == 1 and votes.get().choice == PASS


@pytest.mark.parametrize("choice", ["2", "", "agree", None, "1.5", 7])
def test_a_bad_choice_is_refused(conversation, citizen, neighbour, choice):
    statement = statement_add(module=conversation, user=citizen, text="More trees on the square")
    with pytest.raises(Refused, match="agree, disagree or pass"):
        vote_cast(statement=statement, user=neighbour, choice=choice)
    assert not StatementVote.objects.filter(user=neighbour).exists()


def test_a_closed_phase_refuses_everything_and_changes_nothing(conversation, citizen, neighbour):
    statement = statement_add(module=conversation, user=citizen, text="More trees on the square")
    RecomputeRequest.objects.all().delete()
    with clock.frozen(conversation.phase.ends):
        with pytest.raises(Refused, match="closed on"):
            statement_add(module=conversation, user=neighbour, text="A fountain in the middle")
        with pytest.raises(Refused, match="closed on"):
            vote_cast(statement=statement, user=neighbour, choice=AGREE)
        with pytest.raises(Refused, match="closed on"):
            vote_cast(statement=statement, user=citizen, choice=DISAGREE)
    assert Statement.objects.count() == 1
    assert list(StatementVote.objects.values_list("user_id", "choice")) == [(citizen.pk, AGREE)]
    assert not RecomputeRequest.objects.exists()


def test_a_barred_account_may_not_add_or_vote(conversation, citizen, neighbour, city):
    statement = statement_add(module=conversation, user=citizen, text="More trees on the square")
    moderator = User.objects.create_user(username="mod", password="x", role=User.Role.MODERATOR)
    moderation.ban_add(municipality=city, user=neighbour, reason="Spam", until=None, actor=moderator)
    with pytest.raises(Refused, match="barred"):
        vote_cast(statement=statement, user=neighbour, choice=AGREE)
    with pytest.raises(Refused, match="barred"):
        statement_add(module=conversation, user=neighbour, text="A fountain in the middle")
    assert not StatementVote.objects.filter(user=neighbour).exists()


def test_a_hidden_or_held_statement_takes_no_votes_and_is_not_offered(conversation, citizen, neighbour):
    statement = statement_add(module=conversation, user=citizen, text="Something rude and long")
    moderator = User.objects.create_user(username="mod", password="x", role=User.Role.MODERATOR)
    contributions.hide(item=statement, reason="Insults", actor=moderator)
    with pytest.raises(Refused, match="hidden"):
        vote_cast(statement=statement, user=neighbour, choice=AGREE)
    assert selectors.next_statement(conversation, user=neighbour) is None


def test_premoderated_statements_wait_for_a_moderator(make_project, citizen, neighbour):
    phase = make_project(state="open", slug="held", premoderated=True).phase_list()[0]
    module = module_add(phase=phase, kind="opinion_groups", title="Held")
    statement = statement_add(module=module, user=citizen, text="More trees on the square")
    assert statement.awaiting
    with pytest.raises(Refused, match="awaits a moderator"):
        vote_cast(statement=statement, user=neighbour, choice=AGREE)
    assert selectors.next_statement(module, user=neighbour) is None
    assert statement in [d.item for d in moderation.awaiting(module.phase.project.municipality_id)]


def test_staff_statements_are_marked_as_the_teams(conversation, admin_user):
    assert statement_add(module=conversation, user=admin_user, text="The square keeps its trees").seeded


def test_next_statement_is_one_not_voted_on_the_least_voted_first(conversation, citizen, neighbour):
    first = statement_add(module=conversation, user=citizen, text="More trees on the square")
    second = statement_add(module=conversation, user=citizen, text="A fountain in the middle")
    vote_cast(statement=first, user=neighbour, choice=AGREE)
    assert selectors.next_statement(conversation, user=neighbour) == second
    vote_cast(statement=second, user=neighbour, choice=PASS)
    assert selectors.next_statement(conversation, user=neighbour) is None
    assert selectors.next_statement(conversation, user=citizen) is None  # the author agreed with both


def test_a_vote_wakes_the_worker_once_debounced(conversation, citizen, neighbour):
    statement = statement_add(module=conversation, user=citizen, text="More trees on the square")
    vote_cast(statement=statement, user=neighbour, choice=AGREE)
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=tasks.recompute_requested.module_path
    )
    assert waiting.count() == 1
    assert waiting.get().run_after is not None


def _planted_votes(module, camp_a: list[User], camp_b: list[User]):
    """Two camps: both agree on the first two statements; they split on the next four."""
    author = camp_a[0]
    texts = [
        "Keep the old lime trees",
        "Add more benches in the shade",
        "Close the square to cars",
        "Build an underground car park",
        "Hold a weekly market here",
        "Remove the kiosks",
        "Paint the fence green again",
    ]
    statements = [statement_add(module=module, user=author, text=t) for t in texts]
    for person in camp_a + camp_b:
        a = person in camp_a
        for i, statement in enumerate(statements):
            if i < 2:
                choice = AGREE
            elif i < 6:
                choice = AGREE if a == (i % 2 == 0) else DISAGREE
            else:
                choice = PASS
            vote_cast(statement=statement, user=person, choice=choice)
    return statements


def test_the_worker_finds_planted_camps_and_stores_no_person(conversation):
    people = residents(24)
    camp_a, camp_b = people[:14], people[14:]
    statements = _planted_votes(conversation, camp_a, camp_b)
    assert tasks.recompute_requested.call() == 1
    assert not RecomputeRequest.objects.exists()
    result = OpinionResult.objects.get(module=conversation)
    assert (result.participants, result.grouped, result.statements) == (24, 24, 7)
    assert [g.size for g in OpinionGroup.objects.filter(result=result)] == [14, 10]
    assert {c.statement for c in Consensus.objects.filter(result=result)} == set(statements[:2])
    reps = GroupShare.objects.filter(group__result=result, representative__isnull=False)
    assert {r.statement for r in reps} <= set(statements[2:6])
    first = OpinionGroup.objects.get(result=result, number=1)
    assert {(r.statement.text, r.direction) for r in reps.filter(group=first)} <= {
        ("Close the square to cars", "agree"),
        ("Build an underground car park", "disagree"),
        ("Hold a weekly market here", "agree"),
        ("Remove the kiosks", "disagree"),
    }
    # No table column names a person; the scatter's points are [x, y, group] only.
    for model in (OpinionResult, OpinionGroup, GroupShare, Consensus):
        assert not any(f.name in {"user", "author", "participant"} for f in model._meta.get_fields())
    assert all(len(p) == 3 for p in result.points)


def test_a_vote_during_the_computation_keeps_the_request(conversation, monkeypatch):
    from gorod.consultations.opinion_groups import services

    people = residents(12)
    _planted_votes(conversation, people[:6], people[6:])
    real = services.groups_recompute

    def with_a_vote_meanwhile(*, module):
        result = real(module=module)
        with clock.frozen(clock.now() + dt.timedelta(seconds=1)):
            services.request_recompute(module)
        return result

    monkeypatch.setattr(services, "groups_recompute", with_a_vote_meanwhile)
    recompute_requested()
    assert RecomputeRequest.objects.filter(module=conversation).exists()


def test_hidden_statements_are_not_counted_and_too_few_voters_give_no_groups(conversation, citizen):
    statement = statement_add(module=conversation, user=citizen, text="More trees on the square")
    moderator = User.objects.create_user(username="mod", password="x", role=User.Role.MODERATOR)
    contributions.hide(item=statement, reason="Insults", actor=moderator)
    result = groups_recompute(module=conversation)
    assert (result.statements, result.votes, result.grouped) == (0, 0, 0)
    assert not OpinionGroup.objects.exists()
    groups = selectors.groups_of(conversation)
    assert groups is not None and groups.groups == []


def test_recomputing_replaces_the_previous_result(conversation):
    people = residents(12)
    _planted_votes(conversation, people[:6], people[6:])
    first = groups_recompute(module=conversation)
    second = groups_recompute(module=conversation)
    assert list(OpinionResult.objects.values_list("pk", flat=True)) == [second.pk]
    assert not OpinionGroup.objects.filter(result_id=first.pk).exists()


def test_erasure_removes_votes_detaches_statements_and_recomputes(conversation, citizen, neighbour):
    from gorod.consultations import personal_data

    statement = statement_add(module=conversation, user=citizen, text="More trees on the square")
    vote_cast(statement=statement, user=neighbour, choice=DISAGREE)
    exported = personal_data.export(citizen)["consultations"]
    assert [s["text"] for s in exported["opinion_statements"]] == ["More trees on the square"]
    assert [v["on"] for v in exported["opinion_votes"]] == [statement.pk]
    RecomputeRequest.objects.all().delete()
    counts = personal_data.erase(citizen)
    assert counts["consultation_opinion_statements"] == 1 and counts["consultation_opinion_votes"] == 1
    statement.refresh_from_db()
    assert statement.author is None
    assert list(StatementVote.objects.values_list("user_id", flat=True)) == [neighbour.pk]
    assert RecomputeRequest.objects.filter(module=conversation).exists()
