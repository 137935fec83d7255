"""A report's history as staff read it: a title per event, and each recorded change with ids turned
into the names they stood for (categories, districts, departments, people) and values into words."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gorod.reports.models import ReportEvent
from gorod.reports.titles import EVENT_TITLES as PUBLIC_EVENT_TITLES
from gorod.reports.workflow import Status

# The public page's titles and those of the events only staff see.
EVENT_TITLES = {
    **PUBLIC_EVENT_TITLES,
    "hide_personal_data": gettext_lazy("Personal data hidden"),
    "hide_photo": gettext_lazy("Photo hidden"),
    "show_photo": gettext_lazy("Photo shown again"),
    "assign": gettext_lazy("Assigned"),
    "note": gettext_lazy("Private note"),
    "answer": gettext_lazy("Answer rewritten by the department"),
    "publish_answer": gettext_lazy("Answer published by a moderator"),
    "return_answer": gettext_lazy("Answer sent back to the department"),
}
FIELD_LABELS = {
    "category": gettext_lazy("category"),
    "district": gettext_lazy("district"),
    "department": gettext_lazy("department"),
    "lat": gettext_lazy("latitude"),
    "lon": gettext_lazy("longitude"),
    "address": gettext_lazy("address"),
    "description": gettext_lazy("description"),
    "moderation_due": gettext_lazy("moderation due"),
    "deadline": gettext_lazy("deadline"),
    "show_name": gettext_lazy("name shown publicly"),
    "assignee": gettext_lazy("assigned to"),
    "public_note": gettext_lazy("public answer"),
    "rejection_reason": gettext_lazy("rejection reason"),
}


class Change(TypedDict):
    field: str
    old: Any
    new: Any


class HistoryLine(TypedDict):
    event: ReportEvent
    title: str
    status: str
    changed: bool
    actor: str
    changes: list[Change]


def event_title(action: str) -> str:
    return str(EVENT_TITLES.get(action, action))


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def history_lines(events: list[ReportEvent], names: dict[str, dict]) -> list[HistoryLine]:
    """names: field ("category", "district", "department", "rejection_reason") → the id or code the
    changes mention → its name."""
    assignees = _assignee_labels(events)
    return [_line(e, names, assignees) for e in events]


def _line(event: ReportEvent, names: dict[str, dict], assignees: dict[str, str]) -> HistoryLine:
    changes: list[Change] = []
    for field, pair in (event.changes or {}).items():
        if not isinstance(pair, list) or len(pair) != 2:
            continue
        old, new = pair
        if field in names:
            old, new = names[field].get(old, old), names[field].get(new, new)
        elif field == "assignee":
            old, new = _user_label(old, assignees), _user_label(new, assignees)
        elif field.startswith("photo:"):
            changes.append({"field": _("photo hidden"), "old": _yes_no(old), "new": _yes_no(new)})
            continue
        elif isinstance(old, bool) or isinstance(new, bool):
            old, new = _yes_no(old), _yes_no(new)
        elif field in ("moderation_due", "deadline"):
            old, new = _date(old), _date(new)
        changes.append({"field": str(FIELD_LABELS.get(field, field)), "old": old, "new": new})
    return {
        "event": event,
        "title": event_title(event.action),
        "status": str(Status(event.to_status).label) if event.to_status in Status.values else event.to_status,
        "changed": event.from_status != event.to_status,
        "actor": person(event.actor),
        "changes": changes,
    }


def _assignee_labels(events: list[ReportEvent]) -> dict[str, str]:
    """Names of everyone the history's assignments mention, in one query (keyed by str(pk))."""
    pks = {
        pk
        for e in events
        if isinstance(pair := (e.changes or {}).get("assignee"), list) and len(pair) == 2
        for pk in pair
        if pk not in (None, "")
    }
    if not pks:
        return {}
    return {str(u.pk): person(u) for u in get_user_model().objects.filter(pk__in=pks)}


def _user_label(pk, labels: dict[str, str]) -> str:
    if pk in (None, ""):
        return "—"
    return labels.get(str(pk), f"#{pk}")


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


def _date(value) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)
