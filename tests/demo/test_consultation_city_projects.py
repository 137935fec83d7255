"""The demo's engagement projects together (projects, contributions, surveys, moderation, city_projects):
at least five projects, every ready module kind, a few hundred contributions, every state of a project;
seeding again adds nothing; every project and module page renders."""

from __future__ import annotations

import io

import pytest
from django.core.management.base import OutputWrapper

from gorod.consultations import demographics, modules
from gorod.consultations.ideas.models import Idea, IdeaComment, IdeaSupport
from gorod.consultations.map_feedback.models import MapContribution
from gorod.consultations.models import Follower, Module, Project, Status
from gorod.consultations.questions.models import Answer, Question, QuestionUpvote
from gorod.consultations.surveys.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from gorod.consultations.text_review.models import ParagraphComment
from gorod.demo.consultations import city_projects, contributions, projects, surveys
from gorod.demo.consultations import moderation as demo_moderation
from tests.conftest import SPRING_DAY

SEEDERS = (
    projects.seed,
    contributions.seed,
    surveys.seed,
    demo_moderation.seed,
    city_projects.seed,
)
MODULE_PAGES = {
    "map_feedback": "map",
    "questions": "questions",
    "survey": "survey",
    "idea_wall": "ideas",
    "text_review": "draft",
}


@pytest.fixture
def seeded(city, django_user_model, frozen_spring):
    for role in ("city_admin", "executor", "moderator"):
        django_user_model.objects.create_user(username=role, password="x-pass-12345", role=role)
    _seed_all(city)
    return city


def _seed_all(city) -> None:
    out = OutputWrapper(io.StringIO())
    for seed in SEEDERS:
        seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=out)


def _contributions() -> int:
    return sum(
        model.objects.count()
        for model in (MapContribution, Question, Answer, SurveyResponse, Idea, IdeaComment, ParagraphComment)
    )


def test_seed_demo_makes_five_projects_with_every_ready_kind_and_hundreds_of_contributions(seeded):
    assert Project.objects.count() >= 5
    # Issue 12's kinds have demo projects of their own, seeded and checked by their own tests
    # (tests/demo/test_consultation_room.py, test_consultation_opinion_groups.py, and for the 3D model
    # tests/consultations/test_model_3d.py).
    own_demo = {"room", "model_3d", "opinion_groups"}
    ready = {k.key for k in modules.REGISTRY.values() if k.ready} - own_demo
    assert set(Module.objects.values_list("kind", flat=True)) >= ready
    assert _contributions() >= 200
    assert Project.objects.count() == len(
        {*city_projects.BUILDERS, projects.PARK_SLUG, projects.EMBANKMENT_SLUG}
    )


def test_seeding_again_adds_nothing(seeded):
    before = (Project.objects.count(), Module.objects.count(), _contributions(), Follower.objects.count())
    _seed_all(seeded)
    assert (
        Project.objects.count(),
        Module.objects.count(),
        _contributions(),
        Follower.objects.count(),
    ) == before


def test_the_demo_projects_span_every_state_with_followers(seeded):
    statuses = [p.status for p in Project.objects.all()]
    assert statuses.count(Status.UPCOMING) >= 1 and statuses.count(Status.ACTIVE) >= 3
    assert statuses.count(Status.REPORTED) == 1
    assert Follower.objects.values("project").distinct().count() >= 4
    finished = Project.objects.get(slug=projects.EMBANKMENT_SLUG)
    assert MapContribution.objects.filter(module__phase__project=finished).count() >= 30
    assert Answer.objects.filter(question__module__phase__project=finished, official=True).exists()


def test_the_demo_has_what_each_kind_shows(seeded):
    assert MapContribution.objects.filter(paper=True).count() >= 3
    assert MapContribution.objects.filter(agree_count__gt=0).exists()
    assert MapContribution.objects.exclude(tags=[]).exists()
    assert Question.objects.filter(answers__official=True).exists() and QuestionUpvote.objects.exists()
    answered_kinds = set(SurveyAnswer.objects.values_list("question__kind", flat=True))
    assert answered_kinds == set(SurveyQuestion.Kind.values)
    assert SurveyResponse.objects.filter(
        user__isnull=False
    ).exists()  # a survey per account, beside the anonymous one
    assert IdeaSupport.objects.exists() and IdeaComment.objects.exists()
    assert ParagraphComment.objects.count() >= 20


def test_the_new_projects_clear_the_demographics_threshold(seeded):
    quarter = Project.objects.get(slug="obvodny-quarter")
    assert any(a.rows is not None for a in demographics.project_aggregates(quarter))


def test_every_demo_project_and_module_page_renders(seeded, client):
    for project in Project.objects.all():
        assert client.get(f"/projects/{project.slug}/").status_code == 200
    for module in Module.objects.exclude(kind="information").select_related("phase__project"):
        url = f"/projects/{module.phase.project.slug}/{MODULE_PAGES[module.kind]}/{module.pk}/"
        assert client.get(url).status_code == 200, url
