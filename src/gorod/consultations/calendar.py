"""A project's events as an iCalendar feed (RFC 5545) that a resident adds to their calendar app."""

from __future__ import annotations

from icalendar import Calendar
from icalendar import Event as IcsEvent

from gorod.consultations.models import Project
from gorod.core import clock


def project_calendar(project: Project, *, url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Gorod//consultations//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", project.title)
    stamp = clock.now()
    for event in project.events.all():
        item = IcsEvent()
        # Stable across fetches, so a calendar app updates the event instead of adding a copy.
        item.add("uid", f"project-event-{event.pk}@{project.municipality.slug}.gorod")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.starts)
        item.add("dtend", event.ends)
        item.add("summary", event.title)
        if event.place:
            item.add("location", event.place)
        item.add("description", "\n\n".join(filter(None, [event.description, url])))
        item.add("url", url)
        calendar.add_component(item)
    return calendar.to_ical()
