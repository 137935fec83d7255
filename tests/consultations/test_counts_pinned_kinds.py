"""The project page's counts for issue 12's kinds: comments pinned on a room's slides, comments on a 3D
model and opinion statements; hidden ones and those awaiting moderation are not counted."""

from __future__ import annotations

import pytest

from gorod.consultations import contributions, counts
from gorod.consultations.model_3d.services import pin_add as model_pin_add
from gorod.consultations.opinion_groups.services import statement_add
from gorod.consultations.room.services import pin_add as room_pin_add
from gorod.consultations.room.services import reply_add
from tests.consultations.test_model_3d import EAST_UPPER, make_module  # noqa: F401 - the 3D fixture

pytestmark = pytest.mark.usefixtures("english")


def test_pinned_comments_and_statements_are_counted_as_everyone_sees_them(
    slides,
    make_module,  # noqa: F811 - the fixture imported above
    citizen,
    admin_user,
):
    room = slides["plan"].module
    pins = [
        room_pin_add(slide=slides["plan"], user=citizen, text=f"Here {i}", x=0.5, y=0.5) for i in range(3)
    ]
    reply_add(pin=pins[0], user=admin_user, text="Noted.")  # replies are not pins
    contributions.hide(item=pins[1], reason="Off topic", actor=admin_user)
    model = make_module(slug="tower")
    for text in ("Too tall", "Nice"):
        model_pin_add(module=model, user=citizen, variant="after", text=text, **EAST_UPPER)
    phase = model.phase
    from gorod.consultations.services import module_add

    conversation = module_add(phase=phase, kind="opinion_groups", title="What should the square be?")
    held = statement_add(module=conversation, user=citizen, text="More trees on the square")
    statement_add(module=conversation, user=admin_user, text="Fewer cars near the school")
    type(held).objects.filter(pk=held.pk).update(awaiting=True)

    assert counts.module_counts([room, model, conversation]) == {
        room.pk: "2 comments pinned on the slides",
        model.pk: "2 comments on the model",
        conversation.pk: "1 statement",
    }
