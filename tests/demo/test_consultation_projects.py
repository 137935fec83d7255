"""The demo seeder of engagement projects: two projects with phases, an update, a rendered document, an
event and a published final report; idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management.base import OutputWrapper

from gorod.consultations.models import Project, Status
from gorod.demo.consultations import projects as demo
from tests.conftest import SPRING_DAY


@pytest.fixture
def admin(db, django_user_model):
    return django_user_model.objects.create_user(username="admin", password="x-pass-12345", role="city_admin")


def test_seed_twice_makes_one_of_each(city, admin, frozen_spring, client):
    for _ in range(2):
        demo.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=OutputWrapper(io.StringIO()))
    assert Project.objects.count() == 2
    park = Project.objects.get(slug=demo.PARK_SLUG)
    assert park.status == Status.ACTIVE and park.area
    assert park.phases.count() == 3 and park.updates.count() == 1 and park.events.count() == 1
    document = park.documents.get()
    assert document.page_count == 2 and document.pages.count() == 2
    assert Project.objects.get(slug=demo.EMBANKMENT_SLUG).status == Status.REPORTED
    assert client.get(f"/projects/{demo.PARK_SLUG}/").status_code == 200


def test_the_park_has_a_map_with_about_fifty_contributions(city, admin, frozen_spring, client):
    from gorod.consultations.map_feedback.models import MapContribution

    demo.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=OutputWrapper(io.StringIO()))
    module = Project.objects.get(slug=demo.PARK_SLUG).phases.first().modules.get(kind="map_feedback")
    rows = MapContribution.objects.filter(module=module)
    assert 45 <= rows.count() <= 50
    assert rows.filter(paper=True).exists() and rows.filter(hidden=True).count() == 1
    assert {"point", "line", "area"} <= set(rows.values_list("shape", flat=True))
    assert rows.filter(agree_count__gt=0).exists()
    assert client.get(f"/projects/{demo.PARK_SLUG}/map/{module.pk}/").status_code == 200
    assert client.get(f"/projects/{demo.PARK_SLUG}/map/{module.pk}/heatmap.geojson").json()["features"]
