"""Reads about one person across the apps: the reports they filed, and everything Gorod holds about them
(the data export: the JSON, their photos and their mails)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from gorod.accounts.models import User
from gorod.accounts.selectors import consent_history, totp_device
from gorod.consultations import personal_data as consultation_data
from gorod.consultations.demographics import own_answers
from gorod.consultations.selectors import projects_followed_by
from gorod.core import clock
from gorod.notifications.selectors import alerts_of, follows_of, mails_of_person
from gorod.privacy import parts
from gorod.reports.models import Photo, Report, ReportEvent, Satisfaction
from gorod.reports.selectors import addresses_given
from gorod.reports.workflow import Status


def reports_of(user: User) -> QuerySet[Report]:
    """Reports this person filed: signed in (author), or before signing up with the address the account
    has proven (the same keyed hash as reports.services stores: crypto.lookup_hash, trimmed and lower-case).
    An unproven address claims nothing: anyone can type anyone's address into a sign-up form."""
    mine = Q(author=user)
    if user.email_verified and user.email_hash:
        mine |= Q(email_hash=user.email_hash)
    return Report.objects.filter(mine).select_related("category").order_by("-created", "-pk")


def addresses_of(user: User) -> set[str]:
    """The look-up hashes of every address the person is known by: the account's and those given with
    their reports (mails about them went to these)."""
    return {h for h in {user.email_hash} | addresses_given(reports_of(user)) if h}


def awaiting_confirmation(report: Report, today: dt.date | None = None) -> bool:
    """The fix was reported and the author may still confirm or dispute it."""
    today = today or clock.today()
    return report.status == Status.RESOLVED and report.confirm_due is not None and report.confirm_due >= today


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class Export:
    """What the data export holds: the JSON, and the files it names (photo rows to copy, mail texts)."""

    data: dict[str, Any]
    photos: list[tuple[str, Photo]] = field(default_factory=list)
    mails: list[tuple[str, str]] = field(default_factory=list)


def account_export(user: User) -> Export:
    """Everything Gorod holds about this person, decrypted, for the "download my data" right."""
    reports = list(reports_of(user).select_related("district", "department"))
    report_ids = [r.pk for r in reports]
    photos = _photos(report_ids)
    mails = _mails(mails_of_person(recipient_hashes=addresses_of(user), report_ids=report_ids))
    export = Export(data=account_data(user, reports, photos, mails))
    export.photos = [(entry["file"], photo) for entries in photos.values() for entry, photo in entries]
    export.mails = [(entry["file"], text) for entry, text in mails]
    return export


def _photos(report_ids: list[int]) -> dict[int, list[tuple[dict, Photo]]]:
    """The photos of these reports that their author uploaded (not the department's photos of the fix)."""
    found: dict[int, list[tuple[dict, Photo]]] = {}
    rows = Photo.objects.filter(report_id__in=report_ids, kind=Photo.Kind.REPORT).order_by(
        "report_id", "order", "id"
    )
    for photo in rows:
        mine = found.setdefault(photo.report_id, [])
        name = f"photos/report-{photo.report_id}-{len(mine) + 1}.jpg"
        mine.append(({"file": name, "hidden_from_the_public": photo.hidden}, photo))
    return found


def _mails(deliveries) -> list[tuple[dict, str]]:
    out = []
    for number, delivery in enumerate(deliveries, start=1):
        payload = json.loads(delivery.payload)
        entry = {
            "file": f"mails/{number:04d}.txt",
            "kind": delivery.kind,
            "state": delivery.state,
            "to": delivery.recipient,
            "queued": _iso(delivery.created),
            "sent": _iso(delivery.sent_at),
            "subject": payload.get("subject", ""),
        }
        head = [f"Subject: {entry['subject']}", f"To: {entry['to']}", f"Queued: {entry['queued']}"]
        head += [f"Sent: {entry['sent'] or '-'}", f"State: {entry['state']}"]
        out.append((entry, "\n".join(head) + "\n\n" + payload.get("body", "")))
    return out


def account_data(
    user: User,
    reports: list[Report],
    photos: dict[int, list[tuple[dict, Photo]]],
    mails: list[tuple[dict, str]],
) -> dict[str, Any]:
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
                "photos": [entry for entry, _photo in photos.get(r.pk, [])],
            }
            for r in reports
        ],
        "my_actions": [
            {"report": e.report_id, "at": _iso(e.at), "action": e.action, "public_note": e.public_note}
            for e in own_events
        ],
        "ratings": [{"report": s.report_id, "score": s.score, "comment": s.comment} for s in ratings],
        "follows": [{"report": f.report_id, "since": _iso(f.created)} for f in follows_of(user)],
        "project_follows": [
            {"project": f.project.slug, "since": _iso(f.created)} for f in projects_followed_by(user)
        ],
        # The person's own answers to "about you": theirs to see; nowhere else per person.
        "about_you": own_answers(user),
        # What they wrote, voted and flagged in projects; an anonymous survey's answers are not in it.
        **consultation_data.export(user),
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
        "mails": [entry for entry, _text in mails],
        "consents": [
            {"purpose": c.purpose, "given": c.given, "version": c.version, "text": c.text, "at": _iso(c.at)}
            for c in consent_history(user)
        ],
        **parts.export(user),
    }
