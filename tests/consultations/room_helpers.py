"""Rooms in tests: a room module in an open phase, with a plan, an image and a panorama added through the
real services (files made here)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.conftest import make_jpeg


def panorama_bytes(size=(2000, 1000)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 150, 220)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def room(make_project):
    from gorod.consultations.services import module_add

    phase = make_project(state="open", slug="square").phase_list()[0]
    return module_add(phase=phase, kind="room", title="Square room")


@pytest.fixture
def slides(room, admin_user, pdf_bytes):
    from gorod.consultations.room.services import slide_add

    plan = slide_add(
        module=room,
        actor=admin_user,
        kind="plan",
        title="Plan",
        description="The plan",
        data=pdf_bytes,
        page=1,
    )[0]
    image = slide_add(
        module=room, actor=admin_user, kind="image", title="Today", description="A photo", data=make_jpeg()
    )[0]
    sphere = slide_add(
        module=room,
        actor=admin_user,
        kind="panorama",
        title="Panorama",
        description="Around the square",
        data=panorama_bytes(),
    )[0]
    return {"plan": plan, "image": image, "panorama": sphere}
