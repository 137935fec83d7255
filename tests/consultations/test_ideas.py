"""Idea wall: post, support once, comment; a closed phase refuses each with its reason and keeps nothing."""

from __future__ import annotations

import pytest

from gorod.accounts.models import User
from gorod.consultations.errors import Refused
from gorod.consultations.ideas.models import Idea, IdeaComment, IdeaSupport
from gorod.consultations.ideas.services import idea_comment, idea_post, idea_support
from gorod.consultations.models import Participation
from gorod.consultations.services import module_add
from gorod.core import clock

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def wall(make_project):
    phase = make_project(state="open", slug="park").phase_list()[0]
    return module_add(phase=phase, kind="idea_wall", title="Ideas for the park")


@pytest.fixture
def neighbour(db):
    return User.objects.create_user(username="boris", password="x-pass-12345", role=User.Role.CITIZEN)


def test_post_support_and_comment(wall, citizen, neighbour):
    idea = idea_post(module=wall, user=citizen, title=" A dog park ", text="Fenced, by the pond.")
    assert idea.title == "A dog park"
    idea_support(idea=idea, user=neighbour)
    idea_comment(idea=idea, user=neighbour, text="Yes, with water for the dogs.")
    assert IdeaSupport.objects.filter(idea=idea).count() == 1
    assert IdeaComment.objects.filter(idea=idea).count() == 1
    assert Participation.objects.filter(project=wall.phase.project).count() == 2


@pytest.mark.parametrize(
    ("title", "text", "field"),
    [("", "", "title"), ("ab", "", "title"), ("x" * 121, "", "title"), ("A dog park", "y" * 1001, "text")],
)
def test_bad_ideas_are_refused_and_nothing_is_saved(wall, citizen, title, text, field):
    with pytest.raises(Refused) as exc:
        idea_post(module=wall, user=citizen, title=title, text=text)
    assert exc.value.field == field
    assert not Idea.objects.exists()
    assert not Participation.objects.exists()


def test_support_once_and_not_ones_own(wall, citizen, neighbour):
    idea = idea_post(module=wall, user=citizen, title="A dog park")
    idea_support(idea=idea, user=neighbour)
    with pytest.raises(Refused, match="already support"):
        idea_support(idea=idea, user=neighbour)
    with pytest.raises(Refused, match="your idea"):
        idea_support(idea=idea, user=citizen)
    assert IdeaSupport.objects.count() == 1


def test_a_closed_phase_refuses_everything_and_changes_nothing(wall, citizen, neighbour):
    idea = idea_post(module=wall, user=citizen, title="A dog park")
    with clock.frozen(wall.phase.ends):
        for attempt in (
            lambda: idea_post(module=wall, user=neighbour, title="Late idea"),
            lambda: idea_support(idea=idea, user=neighbour),
            lambda: idea_comment(idea=idea, user=neighbour, text="Late comment"),
        ):
            with pytest.raises(Refused, match="closed on"):
                attempt()
    assert Idea.objects.count() == 1
    assert not IdeaSupport.objects.exists()
    assert not IdeaComment.objects.exists()
    assert not Participation.objects.filter(user=neighbour).exists()


def test_an_empty_comment_is_refused(wall, citizen):
    idea = idea_post(module=wall, user=citizen, title="A dog park")
    with pytest.raises(Refused, match="at least"):
        idea_comment(idea=idea, user=citizen, text="  ")
    assert not IdeaComment.objects.exists()
