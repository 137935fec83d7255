"""One person pressing "upvote" or "support" from many tabs at once counts once: real threads, real
transactions, the unique constraint decides (SQLite on a file, and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import translation

from gorod.accounts.models import User
from gorod.consultations.errors import Refused
from gorod.consultations.ideas.models import IdeaSupport
from gorod.consultations.ideas.services import idea_post, idea_support
from gorod.consultations.questions.models import QuestionUpvote
from gorod.consultations.questions.services import question_ask, question_upvote
from gorod.consultations.services import module_add
from tests.helpers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]
N = 12


def hammer(press) -> list:
    barrier = threading.Barrier(N)
    outcomes: list = [None] * N

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                outcomes[i] = press()
        except Exception as exc:
            outcomes[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    wait_for(
        lambda: not any(t.is_alive() for t in threads),
        progress=lambda: sum(o is not None for o in outcomes),
        what="the parallel presses",
    )
    return outcomes


@pytest.fixture
def setup(make_project, citizen, request):
    phase = make_project(state="open", slug="park").phase_list()[0]
    qa = module_add(phase=phase, kind="questions", title="Ask")
    wall = module_add(phase=phase, kind="idea_wall", title="Ideas")
    question = question_ask(module=qa, user=citizen, text="Will there be a fountain?")
    idea = idea_post(module=wall, user=citizen, title="A fountain")
    voter = User.objects.create_user(username="v", password="x-pass-12345", role=User.Role.CITIZEN)
    request.getfixturevalue("real_database")
    return question, idea, voter


def test_parallel_upvotes_by_one_person_count_once(setup):
    question, _idea, voter = setup
    outcomes = hammer(lambda: question_upvote(question=question, user=voter))
    unexpected = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, Refused)]
    assert not unexpected, unexpected[:3]
    assert sum(isinstance(o, QuestionUpvote) for o in outcomes) == 1
    assert QuestionUpvote.objects.filter(question=question, user=voter).count() == 1


def test_parallel_supports_by_one_person_count_once(setup):
    _question, idea, voter = setup
    outcomes = hammer(lambda: idea_support(idea=idea, user=voter))
    unexpected = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, Refused)]
    assert not unexpected, unexpected[:3]
    assert sum(isinstance(o, IdeaSupport) for o in outcomes) == 1
    assert IdeaSupport.objects.filter(idea=idea, user=voter).count() == 1


def test_parallel_survey_responses_by_one_person_count_once(make_project, admin_user, request):
    from gorod.consultations.surveys.models import SurveyAnswer, SurveyResponse
    from gorod.consultations.surveys.services import response_submit
    from tests.consultations.survey_helpers import answers, make_survey

    phase = make_project(state="open", slug="poll").phase_list()[0]
    module, q = make_survey(phase, admin_user)
    person = User.objects.create_user(username="p", password="x-pass-12345", role=User.Role.CITIZEN)
    request.getfixturevalue("real_database")
    outcomes = hammer(lambda: response_submit(module=module, user=person, answers=answers(q)))
    unexpected = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, Refused)]
    assert not unexpected, unexpected[:3]
    assert sum(isinstance(o, SurveyResponse) for o in outcomes) == 1
    assert SurveyResponse.objects.filter(module=module).count() == 1
    # The refused ones left no answers behind: one single-choice answer in all.
    assert SurveyAnswer.objects.filter(question=q["single"]).count() == 1
