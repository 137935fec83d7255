"""Consultations fixtures: projects made through services.project_create with phases placed around the
frozen test clock, so the state a test asks for is the state now."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import SPRING_DAY
from tests.consultations.room_helpers import room, slides  # noqa: F401 - the room fixtures

DAY = dt.timedelta(days=1)
# A square inside the test city's north district (lon/lat).
PARK = {
    "type": "Polygon",
    "coordinates": [[[30.25, 59.98], [30.27, 59.98], [30.27, 59.99], [30.25, 59.99], [30.25, 59.98]]],
}


def one_phase(state: str, at: dt.datetime = SPRING_DAY):
    """One phase that is `state` ("upcoming", "open", "closed") at `at`."""
    from gorod.consultations.services import NewPhase

    starts = {"upcoming": at + 5 * DAY, "open": at - 5 * DAY, "closed": at - 30 * DAY}[state]
    return NewPhase(title=f"Phase ({state})", starts=starts, ends=starts + 10 * DAY)


@pytest.fixture
def districts(city):
    return {d.slug: d for d in city.districts.all()}


@pytest.fixture
def make_project(city, frozen_spring):
    from gorod.consultations.services import project_create

    counter = {"n": 0}

    def make(*, state: str | None = "open", **fields):
        counter["n"] += 1
        fields.setdefault("published", True)
        return project_create(
            municipality=city,
            slug=fields.pop("slug", f"project-{counter['n']}"),
            title=fields.pop("title", "Редизайн парка"),
            phase_list=[one_phase(state)] if state else [],
            **fields,
        )

    return make


@pytest.fixture
def citizen(db):
    from gorod.accounts.models import User

    return User.objects.create_user(
        username="anna", password="x-pass-12345", role=User.Role.CITIZEN, email="anna@example.org"
    )


@pytest.fixture
def admin_user(db):
    from gorod.accounts.models import User

    return User.objects.create_user(username="boss", password="x-pass-12345", role=User.Role.CITY_ADMIN)


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def pdf_bytes():
    from gorod.demo.consultations.pdf import make_pdf

    return make_pdf([["Park plan", "Paths and benches"], ["Page two"]])
