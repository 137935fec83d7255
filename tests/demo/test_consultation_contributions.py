"""The demo Q&A and idea wall in the park project: contributions made through the services, some questions
answered officially, some waiting; idempotent; both pages render."""

from __future__ import annotations

import io

from django.core.management.base import OutputWrapper

from gorod.consultations.ideas.models import Idea, IdeaSupport
from gorod.consultations.models import Module
from gorod.consultations.questions import selectors
from gorod.consultations.questions.models import Answer, Question, QuestionUpvote
from gorod.demo.consultations import contributions, projects
from tests.conftest import SPRING_DAY


def test_seed_twice_adds_one_qa_and_one_wall(city, django_user_model, frozen_spring, client):
    django_user_model.objects.create_user(username="admin", password="x-pass-12345", role="city_admin")
    django_user_model.objects.create_user(username="executor", password="x-pass-12345", role="executor")
    out = OutputWrapper(io.StringIO())
    projects.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    for _ in range(2):
        contributions.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)
    # The park's (the finished embankment project has a Q&A of its own, from projects.seed).
    qa = Module.objects.get(kind="questions", phase__project__slug=contributions.PARK_SLUG)
    wall = Module.objects.get(kind="idea_wall")
    assert Question.objects.filter(module=qa).count() == len(contributions.QUESTIONS)
    assert Answer.objects.filter(question__module=qa, official=True).count() == 3
    assert selectors.unanswered(qa.phase.project).count() == 2
    assert QuestionUpvote.objects.exists() and IdeaSupport.objects.exists()
    assert Idea.objects.count() == len(contributions.IDEAS)
    slug = qa.phase.project.slug
    assert client.get(f"/projects/{slug}/questions/{qa.pk}/").status_code == 200
    assert client.get(f"/projects/{slug}/ideas/{wall.pk}/").status_code == 200
