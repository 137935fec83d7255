"""The demo's moderation and demographics: idempotent; the park's aggregates clear the threshold; the desk
shows the flagged ideas."""

from __future__ import annotations

import io

from django.core.management.base import OutputWrapper

from gorod.consultations import demographics, moderation
from gorod.consultations.demographics import DemographicQuestion
from gorod.consultations.models import Project
from gorod.demo.consultations import contributions, projects
from gorod.demo.consultations import moderation as demo_moderation
from tests.conftest import SPRING_DAY


def test_seed_twice_adds_questions_once_and_clears_the_threshold(city, django_user_model, frozen_spring):
    for role in ("city_admin", "executor", "moderator"):
        django_user_model.objects.create_user(username=role, password="x-pass-12345", role=role)
    out = OutputWrapper(io.StringIO())
    projects.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    contributions.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    for _ in range(2):
        demo_moderation.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    assert DemographicQuestion.objects.count() == len(demo_moderation.QUESTIONS)
    park = Project.objects.get(slug=contributions.PARK_SLUG)
    shown = [a for a in demographics.project_aggregates(park) if a.rows is not None]
    assert shown, "at least one question clears the threshold of 25"
    assert [row.target for row in moderation.flagged(city.pk)] == ["idea", "idea"]
