"""Projects, phases and modules through the services: good input, and bad input refused with nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.consultations import services
from gorod.consultations.errors import Refused
from gorod.consultations.models import Module, Phase, Project, Status
from gorod.core import clock
from tests.consultations.conftest import DAY, PARK, one_phase

pytestmark = pytest.mark.usefixtures("english")


def test_a_project_with_an_area_keeps_the_shape_and_its_centre(make_project, districts):
    project = make_project(area=PARK, district=districts["north"], topic="parks")
    assert project.area["type"] == "Polygon"
    assert 59.98 <= project.center_lat <= 59.99 and 30.25 <= project.center_lon <= 30.27
    assert project.status == Status.ACTIVE


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("{not json", "not valid GeoJSON"),
        ('{"type": "Polygon", "coordinates": "x"}', "not valid GeoJSON"),
        ({"type": "GeometryCollection", "geometries": []}, "point, a line or a polygon"),
        # A bow tie: the outline crosses itself.
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[30.25, 59.98], [30.27, 59.99], [30.27, 59.98], [30.25, 59.99], [30.25, 59.98]]
                ],
            },
            "crosses itself",
        ),
        ({"type": "Point", "coordinates": [200, 59.9]}, "out of range"),
        ({"type": "Point", "coordinates": [37.6, 55.75]}, "outside the city"),  # Moscow
        ([1, 2], "not valid GeoJSON"),
    ],
)
def test_a_bad_area_is_refused_and_nothing_is_saved(make_project, area, message):
    with pytest.raises(Refused, match=message):
        make_project(area=area)
    assert not Project.objects.exists()


def test_a_district_of_another_city_is_refused(make_project, city):
    from gorod.city.models import District, Municipality

    other = Municipality.objects.create(
        name="Другой", slug="other", jurisdiction_id="other.example", center_lat=0, center_lon=0
    )
    foreign = District.objects.create(municipality=other, name="Чужой", slug="x", boundary=PARK)
    with pytest.raises(Refused, match="not in the project's city"):
        make_project(district=foreign)


def test_a_duplicate_slug_is_refused(make_project):
    make_project(slug="park")
    with pytest.raises(Refused, match="already exists"):
        make_project(slug="park")


def test_status_follows_the_phases_and_the_final_report(make_project, admin_user):
    assert make_project(state="upcoming").status == Status.UPCOMING
    assert make_project(state=None).status == Status.UPCOMING
    assert make_project(state="open").status == Status.ACTIVE
    finished = make_project(state="closed")
    assert finished.status == Status.FINISHED
    services.final_report_publish(project=finished, text="We heard you.", actor=admin_user)
    finished.refresh_from_db()
    assert finished.status == Status.REPORTED


def test_a_phase_must_end_after_it_starts(make_project):
    project = make_project(state=None)
    now = clock.now()
    with pytest.raises(Refused, match="end after it starts"):
        services.phase_add(project=project, title="Backwards", starts=now, ends=now - DAY)
    assert not Phase.objects.exists()


def test_phases_may_touch_but_not_overlap(make_project):
    project = make_project(state="open")
    first = project.phase_list()[0]
    with pytest.raises(Refused, match="overlaps"):
        services.phase_add(project=project, title="Clash", starts=first.ends - DAY, ends=first.ends + DAY)
    services.phase_add(project=project, title="Next", starts=first.ends, ends=first.ends + 5 * DAY)
    assert project.phases.count() == 2


def test_a_started_phase_cannot_be_deleted(make_project):
    phase = make_project(state="open").phase_list()[0]
    with pytest.raises(Refused, match="stays on the timeline"):
        services.phase_delete(phase=phase)
    upcoming = make_project(state="upcoming").phase_list()[0]
    services.phase_delete(phase=upcoming)
    assert not Phase.objects.filter(pk=upcoming.pk).exists()


def test_only_ready_module_kinds_can_be_added(make_project, monkeypatch):
    from gorod.consultations import modules

    # A kind declared but not built yet (the issue-12 kinds were such until they were built).
    monkeypatch.setitem(
        modules.REGISTRY, "future", modules.ModuleKind(key="future", label="future", actions=frozenset())
    )
    phase = make_project(state="upcoming").phase_list()[0]
    services.module_add(phase=phase, kind="information", title="What happens now")
    with pytest.raises(Refused, match="not available"):
        services.module_add(phase=phase, kind="future", title="Not built yet")
    with pytest.raises(Refused, match="not available"):
        services.module_add(phase=phase, kind="no-such-kind", title="?")
    assert Module.objects.count() == 1


def test_unknown_fields_are_refused(make_project):
    with pytest.raises(Refused, match="Unknown project settings"):
        make_project(municipality_id=99)


def test_a_final_report_needs_text_and_a_published_project(make_project, admin_user):
    with pytest.raises(Refused, match="Write what you heard"):
        services.final_report_publish(project=make_project(), text="  ", actor=admin_user)
    with pytest.raises(Refused, match="Publish the project"):
        services.final_report_publish(project=make_project(published=False), text="Done.", actor=admin_user)


def test_phase_states_follow_the_clock(make_project):
    phase = make_project(state="upcoming").phase_list()[0]
    assert phase.state == "upcoming"
    with clock.frozen(phase.starts):
        assert phase.state == "open"
    with clock.frozen(phase.ends):
        assert phase.state == "closed"


def test_one_phase_helper_places_states_around_now(frozen_spring):
    assert one_phase("open").starts < frozen_spring < one_phase("open").ends
    assert isinstance(one_phase("closed").ends, dt.datetime)
