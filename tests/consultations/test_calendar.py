"""Events and their iCal feed."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from gorod.consultations import services
from gorod.consultations.errors import Refused
from gorod.consultations.models import Event
from gorod.core import clock

pytestmark = pytest.mark.usefixtures("english")


def test_the_ical_feed_parses_and_holds_the_events(client, make_project):
    project = make_project(slug="park")
    starts = clock.now() + dt.timedelta(days=3)
    services.event_add(
        project=project,
        title="Прогулка по парку",
        starts=starts,
        ends=starts + dt.timedelta(hours=2),
        place="Вход",
    )
    response = client.get("/projects/park/events.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["summary"]) == "Прогулка по парку"
    assert events[0].decoded("dtstart") == starts
    assert str(events[0]["location"]) == "Вход"
    assert "/projects/park/" in str(events[0]["url"])


@pytest.mark.parametrize("hours", [0, -1, 24 * 40])
def test_bad_event_times_are_refused(make_project, hours):
    starts = clock.now()
    with pytest.raises(Refused):
        services.event_add(
            project=make_project(), title="x", starts=starts, ends=starts + dt.timedelta(hours=hours)
        )
    assert not Event.objects.exists()


def test_no_feed_for_an_unpublished_project(client, make_project):
    make_project(slug="draft", published=False)
    assert client.get("/projects/draft/events.ics").status_code == 404
