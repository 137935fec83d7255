"""Reads behind the Open311 API, returning plain structures ready for render.respond. The requests list,
the hot path, has a module of its own: listing.py."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from gorod.city import selectors as city_selectors
from gorod.city.models import Attribute, Category, Municipality
from gorod.core.i18n import localized
from gorod.open311.listing import OPEN311_STATUS
from gorod.open311.render import Open311Error, clean_text, w3c
from gorod.reports.models import Report, ReportEvent

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


# --- jurisdiction ----------------------------------------------------------------------------------
def municipality_for(jurisdiction_id: str | None) -> Municipality:
    """The municipality a call is about. jurisdiction_id may be left out only when there is one. A training
    sandbox is not served: its jurisdiction_id is unknown here and it does not count as a second one."""
    jurisdiction_id = (jurisdiction_id or "").strip()
    served = city_selectors.public_municipalities()
    if jurisdiction_id:
        found = next((m for m in served if m.jurisdiction_id == jurisdiction_id), None)
        if found is None:
            raise Open311Error(
                404, _("jurisdiction_id: “%(id)s” is not served here.") % {"id": jurisdiction_id[:100]}
            )
        return found
    candidates = served[:2]
    if len(candidates) > 1:
        raise Open311Error(400, _("jurisdiction_id is required: this endpoint serves several jurisdictions."))
    if not candidates:
        raise Open311Error(404, _("No jurisdiction is configured yet."))
    return candidates[0]


def changeset(municipality: Municipality | None) -> str:
    """When the service list or a service definition last changed (Service Discovery's changeset)."""
    return w3c(changed_at(municipality), dt.UTC) or ""


def changed_at(municipality: Municipality | None) -> dt.datetime:
    """The time behind `changeset` (Last-Modified of services.json and the service definitions)."""
    if municipality is not None:
        categories = Category.objects.filter(municipality=municipality)
        attributes = Attribute.objects.filter(category__municipality=municipality)
    else:  # every municipality served: a training sandbox's edits must not move the changeset
        categories = Category.objects.filter(municipality__is_sandbox=False)
        attributes = Attribute.objects.filter(category__municipality__is_sandbox=False)
    stamps = [
        categories.aggregate(at=Max("updated"))["at"],
        attributes.aggregate(at=Max("updated"))["at"],
    ]
    return max((s for s in stamps if s is not None), default=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


# --- services --------------------------------------------------------------------------------------
def services(municipality: Municipality) -> list[dict]:
    """Every active category, seasonal ones all year: the list changes only with its changeset, and a
    seasonal service says in its description when it is accepted (docs/open311.md)."""
    return [
        {
            "service_code": c.service_code,
            "service_name": c.label,
            "description": " ".join(filter(None, [c.label_description, _season(c)])) or None,
            "metadata": bool(c.attributes.all()),
            "type": "realtime",
            "keywords": c.keywords or None,
            "group": c.object_type.label,
        }
        for c in city_selectors.active_categories(municipality)
    ]


def _season(category: Category) -> str:
    if not category.season_start:
        return ""
    return _("Accepted only from %(start)s to %(end)s.") % {
        "start": category.season_start_label,
        "end": category.season_end_label,
    }


def category_for_code(municipality: Municipality, code: str) -> Category | None:
    return city_selectors.active_category(municipality.pk, code)


def service_definition(category: Category) -> dict:
    attributes = []
    # Open311 wants a distinct positive order; ours may repeat, so number them in display order.
    for position, a in enumerate(category.attributes.all(), start=1):
        values = [
            {
                "key": str(v.get("key")),
                "name": localized(v.get("name"), v.get("name_en")),
            }
            for v in (a.values or [])
        ]
        attributes.append(
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description or None,
                "order": position,
                "description": a.label,
                "values": values,
            }
        )
    return {"service_code": category.service_code, "attributes": attributes}


def request_for_token(municipality: Municipality, token: str) -> dict | None:
    if len(token) > 64:
        return None
    try:
        parsed = uuid.UUID(token)
    except ValueError:
        return None
    pk = Report.objects.filter(municipality=municipality, token=parsed).values_list("id", flat=True).first()
    return None if pk is None else {"service_request_id": pk, "token": str(parsed)}


# --- updates (FixMyStreet's servicerequestupdates) -------------------------------------------------
def updates(
    municipality: Municipality,
    *,
    start: dt.datetime,
    end: dt.datetime | None,
    report_id: int | None,
    page: int,
    page_size: int,
) -> list[dict]:
    """Public history of requests, oldest first: events that changed the status or carry a public
    note. The submission itself is not an update. Private notes and actors never leave here."""
    status_changed = ~Q(from_status="") & ~Q(from_status=F("to_status"))
    qs = ReportEvent.objects.filter(report__municipality=municipality, at__gte=start).filter(
        status_changed | (~Q(public_note="") & Q(note_state=ReportEvent.NoteState.PUBLISHED))
    )
    if end is not None:
        qs = qs.filter(at__lte=end)
    if report_id is not None:
        qs = qs.filter(report_id=report_id)
    offset = (page - 1) * page_size
    rows = qs.order_by("at", "id").values_list(
        "id", "report_id", "to_status", "at", "public_note", "note_state"
    )
    tz = ZoneInfo(municipality.timezone)
    return [
        {
            "update_id": pk,
            "service_request_id": report,
            "status": OPEN311_STATUS.get(status, "open"),
            "detailed_status": status,
            "updated_datetime": w3c(at, tz),
            # A held or sent-back answer is not public: the status change shows, its text does not.
            "description": (clean_text(note) if state == ReportEvent.NoteState.PUBLISHED else "") or None,
            "media_url": None,
        }
        for pk, report, status, at, note, state in rows[offset : offset + page_size]
    ]
