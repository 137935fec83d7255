"""Reads about one person across the apps: the reports they filed, and everything Gorod holds about them
(the data export)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from gorod.accounts.models import User
from gorod.accounts.selectors import totp_device
from gorod.core import clock
from gorod.notifications.selectors import alerts_of, follows_of
from gorod.reports.models import Report, ReportEvent, Satisfaction
from gorod.reports.workflow import Status


def reports_of(user: User) -> QuerySet[Report]:
    """Reports this person filed: signed in (author), or before signing up with the address the account
    has proven (the same keyed hash as reports.services stores: crypto.lookup_hash, trimmed and lower-case).
    An unproven address claims nothing: anyone can type anyone's address into a sign-up form."""
    mine = Q(author=user)
    if user.email_verified and user.email_hash:
        mine |= Q(email_hash=user.email_hash)
    return Report.objects.filter(mine).select_related("category").order_by("-created", "-pk")


def awaiting_confirmation(report: Report, today: dt.date | None = None) -> bool:
    """The fix was reported and the author may still confirm or dispute it."""
    today = today or clock.today()
    return report.status == Status.RESOLVED and report.confirm_due is not None and report.confirm_due >= today


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def account_data(user: User) -> dict[str, Any]:
    """Everything Gorod holds about this person, decrypted, for the "download my data" right."""
    reports = list(reports_of(user).select_related("district", "department"))
    report_ids = [r.pk for r in reports]
    own_events = ReportEvent.objects.filter(actor=user).order_by("at", "pk")
    ratings = Satisfaction.objects.filter(report_id__in=report_ids).order_by("pk")
    return {
        "exported_at": clock.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email_address,
            "email_confirmed": user.email_verified,
            "role": user.role,
            "department": user.department.name if user.department else None,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "two_factor": totp_device(user) is not None,
        },
        "reports": [
            {
                "id": r.pk,
                "created": _iso(r.created),
                "status": r.status,
                "category": r.category.service_code,
                "district": r.district.slug,
                "department": r.department.slug if r.department else None,
                "address": r.address,
                "lat": r.lat,
                "lon": r.lon,
                "description": r.description,
                "attributes": r.attributes,
                "contact_name": r.contact_name,
                "contact_email": r.contact_email,
                "contact_phone": r.contact_phone,
                "show_name": r.show_name,
                "anonymous": r.anonymous,
                "confirm_due": _iso(r.confirm_due),
            }
            for r in reports
        ],
        "my_actions": [
            {"report": e.report_id, "at": _iso(e.at), "action": e.action, "public_note": e.public_note}
            for e in own_events
        ],
        "ratings": [{"report": s.report_id, "score": s.score, "comment": s.comment} for s in ratings],
        "follows": [{"report": f.report_id, "since": _iso(f.created)} for f in follows_of(user)],
        "alerts": [
            {
                "district": a.district.slug if a.district else None,
                "lat": a.lat,
                "lon": a.lon,
                "radius_m": a.radius_m,
                "frequency": a.frequency,
            }
            for a in alerts_of(user)
        ],
    }
