"""The audit trail for auditors and city administrators: who did what, when and from where, filtered.
Entries hold no contact details, so reading them shows none."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from gorod.backoffice.selectors.audit import ACTIONS, AuditFilter, audit_page
from gorod.backoffice.views.common import int_or_none, page_links, staff_view

OBJECT_TYPES = ("report", "user", "story")


@require_GET
@staff_view
def audit_trail(request: HttpRequest, desk) -> HttpResponse:
    if not desk.user.has_perm("reports.audit"):
        raise PermissionDenied
    f = parse_filter(request.GET)
    found = audit_page(f=f, municipality=desk.municipality, page_number=request.GET.get("page"))
    params = _params(f)
    context = {
        "desk": desk,
        "city": desk.municipality,
        "f": f,
        **found,
        "object_types": OBJECT_TYPES,
        "page_links": page_links(found["page"], params),
    }
    return render(request, "backoffice/audit.html", context)


def parse_filter(query: QueryDict) -> AuditFilter:
    """Unknown or malformed values are dropped, never passed to the database."""
    action = query.get("action", "")
    object_type = query.get("object_type", "")
    object_id = (query.get("object_id") or "").strip()
    return AuditFilter(
        action=action if action in ACTIONS else "",
        actor=int_or_none(query.get("actor")),
        object_type=object_type if object_type in OBJECT_TYPES else "",
        object_id=object_id if object_id.isascii() and object_id.isalnum() and len(object_id) <= 64 else "",
        start=_date(query.get("start")),
        end=_date(query.get("end")),
    )


def _params(f: AuditFilter) -> list[tuple[str, str]]:
    """The filter as query parameters for the page links: only what was understood."""
    values = {
        "action": f.action,
        "actor": "" if f.actor is None else str(f.actor),
        "object_type": f.object_type,
        "object_id": f.object_id,
        "start": f.start.isoformat() if f.start else "",
        "end": f.end.isoformat() if f.end else "",
    }
    return [(key, value) for key, value in values.items() if value]


def _date(value: str | None):
    try:
        return parse_date((value or "").strip()[:10])
    except ValueError:
        return None
