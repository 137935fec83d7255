"""An anonymous survey's responses cannot be linked to the people who gave them: three residents answer in a
known order at known times, and neither the ids, the stored times, the CSV's order and dates nor the
participation records tell which response is whose."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from zoneinfo import ZoneInfo

import pytest

from gorod.accounts.models import User
from gorod.consultations.models import Participation
from gorod.consultations.surveys import export, selectors
from gorod.consultations.surveys import services as survey_services
from gorod.consultations.surveys.models import SurveyAnswer, SurveyParticipant, SurveyResponse
from gorod.consultations.surveys.services import response_submit
from gorod.core import clock
from tests.consultations.survey_helpers import answers, make_survey

pytestmark = pytest.mark.usefixtures("english")
MSK = ZoneInfo("Europe/Moscow")
# Hours apart on one day in Moscow (the test city's time zone).
TIMES = [dt.datetime(2026, 5, 13, h, m, tzinfo=MSK) for h, m in ((9, 5), (14, 30), (23, 50))]
MIDNIGHT = dt.datetime(2026, 5, 13, tzinfo=MSK)


@pytest.fixture
def anonymous_survey(make_project, admin_user):
    phase = make_project(state="open", slug="anon").phase_list()[0]
    return make_survey(phase, admin_user, anonymous=True)


def answer_in_order(module, q) -> list[tuple[User, SurveyResponse]]:
    given = []
    for i, (name, at) in enumerate(zip(("ann", "boris", "vera"), TIMES, strict=True)):
        person = User.objects.create_user(username=name, password="x-pass-12345", role=User.Role.CITIZEN)
        with clock.frozen(at):
            response = response_submit(module=module, user=person, answers=answers(q, text=f"words {i}"))
        given.append((person, response))
    return given


def test_nothing_links_an_anonymous_response_to_its_author(anonymous_survey):
    module, q = anonymous_survey
    given = answer_in_order(module, q)
    responses = list(SurveyResponse.objects.filter(module=module))
    assert len(responses) == 3 and all(r.user_id is None for r in responses)
    # Times: only the day, the same for all three, though they answered hours apart.
    assert {r.created for r in responses} == {MIDNIGHT}
    # The people's records carry no more: first contributions are dated to the day too.
    seen = Participation.objects.filter(project=module.phase.project)
    assert sorted(seen.values_list("user__username", flat=True)) == ["ann", "boris", "vera"]
    assert set(seen.values_list("first_seen", flat=True)) == {MIDNIGHT}
    # Ids: random, not a count that could be lined up with the participants' (sequential) rows. Neither the
    # responses' ids nor their answers' are neighbours (a chance of about 1 in 10^17 to fail).
    assert SurveyParticipant.objects.filter(module=module).count() == 3
    response_ids = sorted(r.pk for r in responses)
    answer_ids = sorted(SurveyAnswer.objects.filter(response__module=module).values_list("id", flat=True))
    for ids in (response_ids, answer_ids):
        assert all(b - a > 1 for a, b in itertools.pairwise(ids))
    # The CSV: rows in the order of those random ids, each dated with the day only.
    table = list(csv.reader(io.StringIO("".join(export.rows(module)))))[1:]
    assert [int(row[0]) for row in table] == response_ids
    assert {row[1] for row in table} == {"2026-05-13"}
    # ... and the free texts on the results page too.
    _total, results = selectors.results(module, with_texts=True)
    by_id = {r.pk: r.answers.get(question=q["text"]).text for r in responses}
    assert next(r for r in results if r.question.kind == "text").texts == [by_id[i] for i in response_ids]
    assert {r.pk for _person, r in given} == set(response_ids)


def test_the_day_is_the_citys_local_day(anonymous_survey, citizen):
    module, q = anonymous_survey
    # 00:30 in Moscow on the 14th is still the 13th in UTC.
    with clock.frozen(dt.datetime(2026, 5, 14, 0, 30, tzinfo=MSK)):
        response = response_submit(module=module, user=citizen, answers=answers(q))
    response.refresh_from_db()
    assert response.created == dt.datetime(2026, 5, 14, tzinfo=MSK)
    table = list(csv.reader(io.StringIO("".join(export.rows(module)))))
    assert table[1][1] == "2026-05-14"


def test_an_earlier_participation_keeps_its_own_time(anonymous_survey, citizen):
    module, q = anonymous_survey
    project = module.phase.project
    earlier = dt.datetime(2026, 5, 12, 8, 15, tzinfo=MSK)
    Participation.objects.create(project=project, user=citizen, first_seen=earlier)
    response_submit(module=module, user=citizen, answers=answers(q))
    assert Participation.objects.get(project=project, user=citizen).first_seen == earlier


def test_a_survey_that_is_not_anonymous_keeps_the_exact_time(make_project, admin_user, citizen):
    module, q = make_survey(make_project(state="open", slug="named").phase_list()[0], admin_user)
    at = dt.datetime(2026, 5, 13, 14, 30, 12, tzinfo=MSK)
    with clock.frozen(at):
        response = response_submit(module=module, user=citizen, answers=answers(q))
    response.refresh_from_db()
    assert response.created == at and response.user == citizen
    assert Participation.objects.get(user=citizen).first_seen == at
    assert list(csv.reader(io.StringIO("".join(export.rows(module)))))[1][1] == "2026-05-13T14:30:12+03:00"


def test_a_colliding_random_id_is_drawn_again(anonymous_survey, citizen, monkeypatch):
    module, q = anonymous_survey
    first = response_submit(module=module, user=citizen, answers=answers(q))
    taken = first.pk
    answer_taken = SurveyAnswer.objects.filter(response=first).values_list("id", flat=True)[0]
    # The next response draws the taken id first, then its answers draw a taken answer id once.
    draws = iter([taken, 11, answer_taken, *range(1000, 1100)])
    monkeypatch.setattr(survey_services, "random_id", lambda: next(draws))
    other = User.objects.create_user(username="oleg", password="x-pass-12345", role=User.Role.CITIZEN)
    second = response_submit(module=module, user=other, answers=answers(q))
    assert second.pk == 11
    assert SurveyResponse.objects.filter(module=module).count() == 2
    assert (
        SurveyAnswer.objects.filter(response=second).count()
        == SurveyAnswer.objects.filter(response=first).count()
    )
