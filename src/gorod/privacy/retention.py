"""Retention of reports' contact details: each city's file says how many months after a report is closed
its contact details are kept (`retention.contact_months`, 12 by default); then the worker deletes them,
with the mails to the author about that report. Idempotent: a report without contacts is not touched
again. The running total is the counter `retention.contacts_purged` (core.counters), for the metrics."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gorod.city.models import Municipality
from gorod.core import audit, clock, counters
from gorod.notifications.services import deliveries_forget
from gorod.reports.selectors import contacts_expired
from gorod.reports.services import pii

PURGED = "retention.contacts_purged"
BATCH = 500


def purge_expired_contacts(*, now: dt.datetime | None = None, batch: int = BATCH) -> int:
    """Delete the contact details whose time has come, `batch` reports per transaction; returns how
    many reports lost them."""
    now = now or clock.now()
    total = 0
    for municipality in Municipality.objects.order_by("pk"):
        expired = contacts_expired(municipality=municipality, now=now)
        while ids := list(expired.values_list("pk", flat=True)[:batch]):
            with transaction.atomic():
                done = pii.reports_forget_contacts(ids=ids)
                deliveries_forget(recipient_hashes=(), report_ids=ids, kinds=("author",))
                counters.add(PURGED, done)
            total += done
    if total:
        audit.record(action="retention.purge", object_type="report", detail={"reports": total})
    return total
