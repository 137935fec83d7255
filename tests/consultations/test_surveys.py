"""Surveys: staff set questions, a resident answers once; every kind of bad answer is refused and leaves
nothing; results are counted right; the CSV is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from gorod.accounts.models import User
from gorod.consultations.errors import Refused
from gorod.consultations.models import Participation
from gorod.consultations.surveys import export, selectors
from gorod.consultations.surveys.models import SurveyAnswer, SurveyParticipant, SurveyResponse
from gorod.consultations.surveys.services import question_add, response_submit
from tests.consultations.survey_helpers import INSIDE, answers, make_survey

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def survey(make_project, admin_user):
    phase = make_project(state="open", slug="park").phase_list()[0]
    return make_survey(phase, admin_user)


def resident(name: str) -> User:
    return User.objects.create_user(username=name, password="x-pass-12345", role=User.Role.CITIZEN)


def test_a_response_stores_one_row_per_choice(survey, citizen):
    module, q = survey
    response = response_submit(
        module=module, user=citizen, answers=answers(q, text="More bins", point=INSIDE)
    )
    assert response.user == citizen
    rows = SurveyAnswer.objects.filter(response=response)
    assert rows.filter(question=q["multiple"]).count() == 2
    assert sorted(rows.filter(question=q["ranking"]).values_list("option", "number")) == [
        (0, 2),
        (1, 1),
        (2, 3),
    ]
    assert rows.get(question=q["point"]).lat == pytest.approx(59.985)
    assert Participation.objects.filter(project=module.phase.project, user=citizen).exists()


def test_an_anonymous_survey_keeps_no_account_on_the_response(make_project, admin_user, citizen):
    phase = make_project(state="open", slug="anon").phase_list()[0]
    module, q = make_survey(phase, admin_user, anonymous=True)
    response = response_submit(module=module, user=citizen, answers=answers(q))
    assert response.user is None
    # ... but still one response per person.
    with pytest.raises(Refused, match="already answered"):
        response_submit(module=module, user=citizen, answers=answers(q))
    assert SurveyResponse.objects.filter(module=module).count() == 1


def test_a_second_response_by_the_same_person_is_refused(survey, citizen):
    module, q = survey
    response_submit(module=module, user=citizen, answers=answers(q))
    with pytest.raises(Refused, match="already answered"):
        response_submit(module=module, user=citizen, answers=answers(q, single="1"))
    assert SurveyResponse.objects.count() == 1
    assert SurveyAnswer.objects.filter(question=q["single"], option=1).count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"single": "7"}, "not one of the choices"),
        ({"single": "-1"}, "not one of the choices"),
        ({"single": "two"}, "not one of the choices"),
        ({"multiple": ("0", "0")}, "chosen once"),
        ({"multiple": ("3",)}, "not one of the choices"),
        ({"scale": "6"}, "from 1 to 5"),
        ({"scale": "0"}, "from 1 to 5"),
        ({"ranking": ("1", "1", "2")}, "different place"),
        ({"ranking": ("1", "2", "")}, "different place"),
        ({"ranking": ("1", "2", "4")}, "different place"),
        ({"point": ("60.5", "31.5")}, "outside the city"),
        ({"point": ("95", "30")}, "out of range"),
        ({"point": ("nan", "30")}, "out of range"),
        ({"point": ("x", "y")}, "point on the map"),
        ({"single": ""}, "Please answer"),
        ({"text": "a\x00b"}, "cannot be stored"),
        ({"text": "x" * 2001}, "at most 2000"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(survey, citizen, change, message):
    module, q = survey
    with pytest.raises(Refused, match=message):
        response_submit(module=module, user=citizen, answers=answers(q, **change))
    assert not SurveyResponse.objects.exists()
    assert not SurveyAnswer.objects.exists()
    assert not SurveyParticipant.objects.exists()


def test_an_answer_to_a_question_of_another_survey_is_refused(survey, make_project, admin_user, citizen):
    module, q = survey
    _other, oq = make_survey(make_project(state="open", slug="other").phase_list()[0], admin_user)
    bad = {**answers(q), oq["single"].pk: ["0"]}
    with pytest.raises(Refused, match="not in this survey"):
        response_submit(module=module, user=citizen, answers=bad)
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("state", ["closed", "upcoming"])
def test_a_phase_not_open_refuses_answers(make_project, admin_user, citizen, state):
    phase = make_project(state=state, slug="shut").phase_list()[0]
    module, q = make_survey(phase, admin_user)
    with pytest.raises(Refused, match=r"closed on|opens on"):
        response_submit(module=module, user=citizen, answers=answers(q))
    assert not SurveyResponse.objects.exists()


def test_staff_cannot_change_questions_once_answered(survey, citizen, admin_user):
    module, q = survey
    response_submit(module=module, user=citizen, answers=answers(q))
    with pytest.raises(Refused, match="already answered"):
        question_add(module=module, actor=admin_user, kind="text", text="One more?")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "essay", "text": "Write"}, "Unknown kind"),
        ({"kind": "single", "text": "Pick", "options": ["One"]}, "between 2"),
        ({"kind": "single", "text": "Pick", "options": ["One", "One"]}, "different"),
        ({"kind": "scale", "text": "Rate", "scale_max": 7}, "1 to 5 or from 0 to 10"),
    ],
)
def test_bad_questions_are_refused(survey, admin_user, fields, message):
    module, _q = survey
    with pytest.raises(Refused, match=message):
        question_add(module=module, actor=admin_user, **fields)


def test_a_resident_cannot_add_questions(survey, citizen):
    module, _q = survey
    with pytest.raises(Refused, match="administrators"):
        question_add(module=module, actor=citizen, kind="text", text="Mine?")


def test_results_count_each_kind(survey, citizen):
    module, q = survey
    response_submit(
        module=module, user=citizen, answers=answers(q, single="0", scale="4", ranking=("1", "2", "3"))
    )
    response_submit(
        module=module,
        user=resident("b"),
        answers=answers(q, single="0", multiple=("1",), scale="2", ranking=("3", "1", "2"), text="Hi"),
    )
    response_submit(module=module, user=resident("c"), answers=answers(q, single="2", scale="5"))
    total, results = selectors.results(module, with_texts=True)
    by = {r.question.kind: r for r in results}
    assert total == 3
    assert [(b.label, b.count) for b in by["single"].bars] == [("Daily", 2), ("Weekly", 0), ("Rarely", 1)]
    assert by["single"].bars[0].share == pytest.approx(66.7)
    assert [b.count for b in by["multiple"].bars] == [2, 1, 2]
    assert by["multiple"].answered == 3
    assert [b.count for b in by["scale"].bars] == [0, 1, 0, 1, 1]
    assert by["scale"].mean == pytest.approx(11 / 3, abs=0.01)
    # Ranking places: Lights 1,3,2 → 2.0; Benches 2,1,1 → 1.33; Paths 3,2,3 → 2.67. Best first.
    assert [(b.label, b.extra) for b in by["ranking"].bars] == [
        ("Benches", "1.33"),
        ("Lights", "2.00"),
        ("Paths", "2.67"),
    ]
    assert by["text"].answered == 1 and by["text"].texts == ["Hi"]


def test_results_take_a_fixed_number_of_queries(survey, citizen, django_assert_num_queries):
    module, q = survey
    for i in range(5):
        response_submit(module=module, user=resident(f"r{i}"), answers=answers(q, text=f"t{i}"))
    # questions, total, grouped counts, multiple choice respondents, free texts
    with django_assert_num_queries(5):
        selectors.results(module, with_texts=True)


def test_csv_export_neutralizes_formulas_and_names_nobody(survey, citizen):
    module, q = survey
    citizen.first_name = "Anna"
    response_submit(module=module, user=citizen, answers=answers(q, text='=HYPERLINK("http://evil")'))
    response_submit(module=module, user=resident("b"), answers=answers(q, text="@SUM(1)", point=INSIDE))
    response_submit(module=module, user=resident("c"), answers=answers(q, text="+1", ranking=("3", "2", "1")))
    text = "".join(export.rows(module))
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][2:] == [q[k].text for k in ("single", "multiple", "scale", "ranking", "text", "point")]
    # Rows come in the responses' random-id order, not the order they were given: find each by its text.
    assert [int(row[0]) for row in table[1:]] == sorted(int(row[0]) for row in table[1:])
    by_text = {row[6]: row for row in table[1:]}
    assert set(by_text) == {'\'=HYPERLINK("http://evil")', "'@SUM(1)", "'+1"}
    first, second, third = by_text['\'=HYPERLINK("http://evil")'], by_text["'@SUM(1)"], by_text["'+1"]
    assert first[2:4] == ["Daily", "Walk; Read"]
    assert first[5] == "Benches > Lights > Paths"
    assert third[5] == "Paths > Benches > Lights"
    assert second[7] == "59.985000 30.260000"
    assert "anna" not in text.lower() and "anna@example.org" not in text
