"""Staff set a survey up (anonymous, its questions) and put up a draft text in the back office; a bad
question comes back as a message and changes nothing; other staff cannot."""

from __future__ import annotations

import pytest

from gorod.consultations.models import Module
from gorod.consultations.services import module_add
from gorod.consultations.surveys.models import SurveyQuestion
from gorod.consultations.text_review.models import Paragraph
from tests.consultations.test_backoffice import staff_client  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("english")


def test_an_admin_sets_up_a_survey_and_a_draft(staff_client, make_project):  # noqa: F811
    project = make_project(state="upcoming", slug="park")
    phase = project.phase_list()[0]
    admin = staff_client("city_admin")
    base = "/backoffice/projects/park/"
    admin.post(
        base + "module-add/", {"phase": phase.pk, "kind": "survey", "title": "Poll", "anonymous": "on"}
    )
    survey = Module.objects.get(kind="survey")
    assert survey.settings == {"anonymous": True}
    page = admin.get(base).content.decode()
    assert "Add a question to “Poll”" in page
    response = admin.post(
        base + "survey-question/",
        {
            "module": survey.pk,
            "kind": "single",
            "text": "How often?",
            "options": "Daily\n\nWeekly\n",
            "required": "on",
        },
        follow=True,
    )
    assert "The question was added" in response.content.decode()
    question = SurveyQuestion.objects.get()
    assert question.options == ["Daily", "Weekly"] and question.required
    response = admin.post(
        base + "survey-question/",
        {"module": survey.pk, "kind": "scale", "text": "Rate it", "scale_max": "7"},
        follow=True,
    )
    assert SurveyQuestion.objects.count() == 1
    admin.post(
        base + "survey-question/", {"module": survey.pk, "kind": "ranking", "text": "Order", "options": "A"}
    )
    assert SurveyQuestion.objects.count() == 1
    draft = module_add(phase=phase, kind="text_review", title="Rules")
    response = admin.post(base + "draft/", {"module": draft.pk, "text": "One.\n\nTwo <b>x</b>."}, follow=True)
    assert "2 paragraphs" in response.content.decode()
    assert Paragraph.objects.filter(module=draft).count() == 2
    # A module of the wrong kind, or of another project, is refused.
    admin.post(base + "draft/", {"module": survey.pk, "text": "Nope"})
    assert not Paragraph.objects.filter(module=survey).exists()


def test_a_moderator_cannot_add_questions(staff_client, make_project):  # noqa: F811
    project = make_project(state="upcoming", slug="park")
    survey = module_add(phase=project.phase_list()[0], kind="survey", title="Poll")
    moderator = staff_client("moderator")
    moderator.post(
        "/backoffice/projects/park/survey-question/",
        {"module": survey.pk, "kind": "text", "text": "Mine?"},
    )
    assert not SurveyQuestion.objects.exists()
