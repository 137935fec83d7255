"""Q&A: residents ask and upvote while the phase is open, the city answers publicly and officially; a
closed phase refuses with its reason and changes nothing; bad input is refused field by field."""

from __future__ import annotations

import pytest

from gorod.accounts.models import User
from gorod.consultations.errors import Refused
from gorod.consultations.models import Module, Participation
from gorod.consultations.questions import selectors
from gorod.consultations.questions.models import Answer, Question, QuestionUpvote
from gorod.consultations.questions.services import answer_post, question_ask, question_upvote
from gorod.consultations.services import module_add

pytestmark = pytest.mark.usefixtures("english")
TEXT = "When will the new benches be installed?"


@pytest.fixture
def qa(make_project) -> Module:
    phase = make_project(state="open", slug="park").phase_list()[0]
    return module_add(phase=phase, kind="questions", title="Ask the architects")


@pytest.fixture
def closed_qa(make_project) -> Module:
    phase = make_project(state="closed", slug="old").phase_list()[0]
    return module_add(phase=phase, kind="questions", title="Past questions")


@pytest.fixture
def neighbour(db):
    return User.objects.create_user(username="boris", password="x-pass-12345", role=User.Role.CITIZEN)


@pytest.fixture
def official(db):
    return User.objects.create_user(username="olga", password="x-pass-12345", role=User.Role.EXECUTOR)


def test_a_resident_asks_and_becomes_a_participant(qa, citizen):
    question = question_ask(module=qa, user=citizen, text=f"  {TEXT}  ")
    assert question.text == TEXT
    assert Participation.objects.filter(project=qa.phase.project, user=citizen).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "at least 10"),
        ("short?", "at least 10"),
        ("x" * 1001, "at most 1000"),
        ("bad\x00text here", "character"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_saved(qa, citizen, text, message):
    with pytest.raises(Refused, match=message) as exc:
        question_ask(module=qa, user=citizen, text=text)
    assert exc.value.field == "text"
    assert not Question.objects.exists()
    assert not Participation.objects.exists()


def test_a_closed_phase_refuses_questions_with_its_date(closed_qa, citizen):
    with pytest.raises(Refused, match="closed on"):
        question_ask(module=closed_qa, user=citizen, text=TEXT)
    assert not Question.objects.exists()


def test_anonymous_people_cannot_ask(qa):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Refused, match="Sign in"):
        question_ask(module=qa, user=AnonymousUser(), text=TEXT)


def test_a_question_in_another_kind_of_module_is_refused(make_project, citizen):
    phase = make_project(state="open", slug="ideas").phase_list()[0]
    wall = module_add(phase=phase, kind="idea_wall", title="Ideas")
    with pytest.raises(Refused):
        question_ask(module=wall, user=citizen, text=TEXT)


def test_upvote_once_per_person(qa, citizen, neighbour):
    question = question_ask(module=qa, user=citizen, text=TEXT)
    question_upvote(question=question, user=neighbour)
    with pytest.raises(Refused, match="already upvoted"):
        question_upvote(question=question, user=neighbour)
    with pytest.raises(Refused, match="You asked"):
        question_upvote(question=question, user=citizen)
    assert QuestionUpvote.objects.filter(question=question).count() == 1


def test_upvotes_close_with_the_phase(qa, citizen, neighbour, frozen_spring):
    from gorod.core import clock

    question = question_ask(module=qa, user=citizen, text=TEXT)
    with clock.frozen(qa.phase.ends), pytest.raises(Refused, match="closed on"):
        question_upvote(question=question, user=neighbour)
    assert not QuestionUpvote.objects.exists()


def test_staff_answers_are_official_and_may_come_after_the_phase(qa, citizen, official):
    from gorod.core import clock

    question = question_ask(module=qa, user=citizen, text=TEXT)
    with clock.frozen(qa.phase.ends):
        answer = answer_post(question=question, user=official, text="In June, after the paths are laid.")
    assert answer.official
    assert not selectors.unanswered(qa.phase.project).exists()


def test_residents_and_auditors_cannot_answer(qa, citizen, neighbour):
    question = question_ask(module=qa, user=citizen, text=TEXT)
    auditor = User.objects.create_user(username="aud", password="x-pass-12345", role=User.Role.AUDITOR)
    for user in (neighbour, auditor):
        with pytest.raises(Refused, match="staff"):
            answer_post(question=question, user=user, text="I think it will be June.")
    assert not Answer.objects.exists()


def test_unanswered_questions_are_oldest_first_and_skip_answered_and_hidden(
    qa, citizen, official, frozen_spring
):
    import datetime as dt

    from gorod.consultations import contributions
    from gorod.core import clock

    moderator = User.objects.create_user(username="mod", password="x-pass-12345", role=User.Role.MODERATOR)
    with clock.frozen(frozen_spring - dt.timedelta(days=3)):
        old = question_ask(module=qa, user=citizen, text="The oldest question of all?")
    new = question_ask(module=qa, user=citizen, text="A question asked just now?")
    answered = question_ask(module=qa, user=citizen, text="A question with an answer?")
    hidden = question_ask(module=qa, user=citizen, text="A rude question to hide?")
    answer_post(question=answered, user=official, text="Here is the answer.")
    contributions.hide(item=hidden, reason="Insults", actor=moderator)
    assert list(selectors.unanswered(qa.phase.project)) == [old, new]
