"""The demo survey and draft in the park project: ~200 responses through the services, a few paragraph
comments; idempotent; the survey, its results and the draft render."""

from __future__ import annotations

import io

from django.core.management.base import OutputWrapper

from gorod.consultations.models import Module
from gorod.consultations.surveys.models import SurveyResponse
from gorod.consultations.text_review.models import ParagraphComment
from gorod.demo.consultations import projects, surveys
from tests.conftest import SPRING_DAY


def test_seed_twice_adds_one_survey_and_one_draft(city, django_user_model, frozen_spring, client):
    django_user_model.objects.create_user(username="admin", password="x-pass-12345", role="city_admin")
    out = OutputWrapper(io.StringIO())
    projects.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    for _ in range(2):
        surveys.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    survey = Module.objects.get(kind="survey")
    draft = Module.objects.get(kind="text_review")
    assert SurveyResponse.objects.filter(module=survey).count() == surveys.RESPONSES
    assert not SurveyResponse.objects.filter(user__isnull=False).exists()  # the demo survey is anonymous
    assert ParagraphComment.objects.count() == len(surveys.COMMENTS)
    slug = survey.phase.project.slug
    assert client.get(f"/projects/{slug}/survey/{survey.pk}/").status_code == 200
    results = client.get(f"/projects/{slug}/survey/{survey.pk}/results/")
    assert results.status_code == 200 and "<svg" in results.content.decode()
    assert client.get(f"/projects/{slug}/draft/{draft.pk}/").status_code == 200
