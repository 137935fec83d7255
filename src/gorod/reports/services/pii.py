"""Key rotation of the reports' personal data (the contact details, encrypted at rest)."""

from __future__ import annotations

from django.db import transaction

from gorod.reports.models import Report


def reports_rotate_pii(*, batch_size: int = 1000) -> int:
    """Re-encrypt every report's contact details under the newest of GOROD_PII_KEYS (any listed key may
    decrypt them now). Returns how many reports were rewritten. Safe to run again or to interrupt."""
    fields = ("contact_name", "contact_email", "contact_phone")
    has_contact = Report.objects.exclude(contact_name="", contact_email="", contact_phone="")
    done = 0
    last_pk = 0
    while True:
        batch = list(has_contact.filter(pk__gt=last_pk).order_by("pk").only(*fields)[:batch_size])
        if not batch:
            return done
        with transaction.atomic():
            for report in batch:
                # Reading decrypted with whichever key fits; the update encrypts with the newest one.
                Report.objects.filter(pk=report.pk).update(**{f: getattr(report, f) for f in fields})
        done += len(batch)
        last_pk = batch[-1].pk
