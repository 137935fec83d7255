"""The project page's per-module counts ("3 pins on the map · 2 questions (1 unanswered)"): what everyone sees
is counted (nothing hidden or awaiting pre-moderation), one query per module kind whatever the number of
modules and contributions, and the project page stays pinned with every kind of module on it."""

from __future__ import annotations

import itertools

import pytest

from gorod.accounts.models import User
from gorod.consultations import contributions, counts
from gorod.consultations.ideas.services import idea_post
from gorod.consultations.map_feedback import services as map_services
from gorod.consultations.questions.services import answer_post, question_ask
from gorod.consultations.services import module_add
from gorod.consultations.surveys.services import response_submit
from gorod.consultations.text_review.services import draft_set, paragraph_comment
from tests.consultations.survey_helpers import answers, make_survey
from tests.query_counts import assert_pinned, get, growing

pytestmark = pytest.mark.usefixtures("english")
INSIDE = {"type": "Point", "coordinates": [30.26, 59.985]}  # in conftest.PARK
people = itertools.count()


def _resident() -> User:
    return User.objects.create_user(username=f"voice-{next(people)}", password="x-pass-12345", role="citizen")


@pytest.fixture
def official(db):
    return User.objects.create_user(username="official", password="x-pass-12345", role="executor")


@pytest.fixture
def project_with_every_kind(make_project, admin_user):
    """A project whose open phase has one module of each kind with a page, and an information block."""
    project = make_project(slug="park")
    phase = project.phase_list()[0]
    module_add(phase=phase, kind="information", title="How to take part")
    survey, questions = make_survey(phase, admin_user)
    kinds = {
        "map": module_add(phase=phase, kind="map_feedback", title="Map"),
        "qa": module_add(phase=phase, kind="questions", title="Q&A"),
        "survey": survey,
        "wall": module_add(phase=phase, kind="idea_wall", title="Ideas"),
        "draft": module_add(phase=phase, kind="text_review", title="Draft"),
    }
    kinds["survey_questions"] = questions
    kinds["paragraphs"] = draft_set(module=kinds["draft"], actor=admin_user, text="One.\n\nTwo.")
    return project, kinds


def _add_one_of_each(kinds) -> None:
    map_services.contribution_add(module=kinds["map"], user=_resident(), sentiment=4, geometry=INSIDE)
    question_ask(module=kinds["qa"], user=_resident(), text="When will the works start?")
    response_submit(module=kinds["survey"], user=_resident(), answers=answers(kinds["survey_questions"]))
    idea_post(module=kinds["wall"], user=_resident(), title="A dog park")
    paragraph_comment(paragraph=kinds["paragraphs"][0], user=_resident(), text="Clear enough.")


def test_counts_say_what_everyone_sees(
    project_with_every_kind, official, admin_user, django_assert_num_queries
):
    project, kinds = project_with_every_kind
    for _ in range(3):
        _add_one_of_each(kinds)
    pins = list(kinds["map"].map_contributions.order_by("id"))
    map_services.hide(contribution=pins[0], staff=admin_user, reason="Spam")
    type(pins[1]).objects.filter(pk=pins[1].pk).update(awaiting=True)  # held by pre-moderation
    questions = list(kinds["qa"].questions.order_by("id"))
    answer_post(question=questions[0], user=official, text="Next spring.")
    contributions.hide(item=questions[2], reason="Off topic", actor=admin_user)
    modules = [m for phase in project.phase_list() for m in phase.modules.all()]

    with django_assert_num_queries(5):  # one per kind with a page; information has nothing to count
        shown = counts.module_counts(modules)

    assert shown == {
        kinds["map"].pk: "1 pin on the map",
        kinds["qa"].pk: "2 questions (1 unanswered)",
        kinds["survey"].pk: "3 responses",
        kinds["wall"].pk: "3 ideas",
        kinds["draft"].pk: "3 comments on the draft",
    }


def test_a_module_with_nothing_yet_shows_no_count(project_with_every_kind):
    _project, kinds = project_with_every_kind
    assert counts.module_counts([kinds["qa"], kinds["map"]]) == {}


def test_the_project_page_shows_the_counts(project_with_every_kind, client):
    _project, kinds = project_with_every_kind
    _add_one_of_each(kinds)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/projects/park/").content.decode()
    # In the order of the modules on the page (the survey was added first), and under each module.
    assert (
        "1 response · 1 pin on the map · 1 question (1 unanswered) · 1 idea · 1 comment on the draft" in page
    )
    assert '<p class="cp-module-count">1 question (1 unanswered)</p>' in page


def test_the_project_page_with_every_kind_of_module_is_pinned(project_with_every_kind, client):
    _project, kinds = project_with_every_kind

    def add(k: int) -> None:
        for _ in range(k):
            _add_one_of_each(kinds)

    # The project page's 7 (test_query_counts) and one count per module kind with a page.
    assert_pinned(7 + 5, growing(add, get(client, "/projects/park/")))
