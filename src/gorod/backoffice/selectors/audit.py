"""The audit trail as auditors read it: filtered, newest first, each entry with the name of the account
that acted (the username and role: who, never a person's contact details) — in a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import User
from gorod.city.models import Municipality
from gorod.core.models import AuditEntry
from gorod.reports.models import Report

PAGE_SIZE = 50

# What each action means, for the page; an action not listed is shown by its code.
ACTIONS = {
    "report.contacts_viewed": _("looked at a report's contact details"),
    "report.accept": _("accepted a report"),
    "report.reject": _("rejected a report"),
    "report.mark_duplicate": _("marked a report as a duplicate"),
    "report.hide_personal_data": _("hid personal data of a report"),
    "report.hide_photo": _("hid a photo"),
    "report.show_photo": _("showed a hidden photo again"),
    "report.publish_answer": _("published a department's answer"),
    "report.return_answer": _("sent a department's answer back"),
    "account.export": _("downloaded their data"),
    "account.erase": _("erased their account"),
    "account.create": _("created an account"),
    "account.access_change": _("changed an account's role or access"),
    "account.contacts_viewed": _("opened an account in the admin"),
    "pii.rotate_keys": _("re-encrypted personal data under a new key"),
    "retention.purge": _("deleted contact details past their retention time"),
    "story.publish": _("published a resident's story"),
    "story.hide": _("hid a resident's story"),
    "story.hide_photo": _("hid a photo of a story"),
    "story.show_photo": _("showed a story's photo again"),
    "expert.invite": _("invited an outside expert"),
    "expert.revoke": _("revoked an expert's invitation"),
    "news.create": _("published or scheduled a news item"),
    "news.update": _("changed a news item"),
    "news.delete": _("deleted a news item"),
    "work.create": _("published or scheduled planned works"),
    "work.update": _("changed planned works"),
    "work.delete": _("deleted planned works"),
}


@dataclass(frozen=True)
class AuditFilter:
    """Every field is already validated."""

    action: str = ""
    actor: int | None = None
    object_type: str = ""
    object_id: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def of_municipality(municipality: Municipality) -> QuerySet[AuditEntry]:
    """The entries an auditor of this municipality may read: all but those about another municipality's
    reports and those by another municipality's staff. Entries tied to no municipality (a key rotation,
    a retention run, a resident's own account) stay visible, so a one-city installation loses nothing.
    Subqueries, not id lists: the page keeps its fixed number of queries."""
    own_reports = (
        Report.objects.filter(municipality=municipality)
        .annotate(as_text=Cast("pk", output_field=CharField()))
        .values("as_text")
    )
    other_staff = User.objects.filter(
        Q(department__isnull=False) & ~Q(department__municipality=municipality)
        | Q(department__isnull=True, municipality__isnull=False) & ~Q(municipality=municipality)
    ).values("pk")
    about_other_report = Q(object_type="report") & ~Q(object_id="") & ~Q(object_id__in=own_reports)
    return AuditEntry.objects.exclude(about_other_report).exclude(actor_id__in=other_staff)


def filtered(f: AuditFilter, municipality: Municipality) -> QuerySet[AuditEntry]:
    qs = of_municipality(municipality)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.actor is not None:
        qs = qs.filter(actor_id=f.actor)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.start:
        qs = qs.filter(at__date__gte=f.start)
    if f.end:
        qs = qs.filter(at__date__lte=f.end)
    return qs.order_by("-seq")


def audit_page(*, f: AuditFilter, municipality: Municipality, page_number: Any) -> dict[str, Any]:
    page: Page = Paginator(filtered(f, municipality), PAGE_SIZE).get_page(page_number)
    entries = list(page.object_list)
    actors = {
        pk: (username, User.Role(role).label if role in User.Role.values else role)
        for pk, username, role in User.objects.filter(
            pk__in={e.actor_id for e in entries if e.actor_id is not None}
        ).values_list("pk", "username", "role")
    }
    rows = [
        {
            "entry": e,
            "what": ACTIONS.get(e.action, e.action),
            "actor": actors.get(e.actor_id) if e.actor_id is not None else None,
            "detail": sorted(e.detail.items()),
        }
        for e in entries
    ]
    return {"page": page, "rows": rows, "actions": sorted(ACTIONS.items(), key=lambda kv: kv[0])}
