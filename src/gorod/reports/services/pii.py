"""The reports' personal data (the contact details, encrypted at rest; core.crypto rotates the key of every
encrypted column): forgetting it when its owner erases the account or the city's retention time has
passed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from gorod.reports.models import HOLDS_CONTACTS, Report, ReportEvent

# What a report keeps once its person is forgotten: the report itself, as a public record.
FORGOTTEN = {
    "contact_name": "",
    "contact_email": "",
    "contact_phone": "",
    "email_hash": "",
    "show_name": False,
}


@transaction.atomic
def reports_forget_author(*, reports: QuerySet[Report]) -> list[int]:
    """Erasure: the reports stay public but lose every contact detail and their link to the account.
    Their events not yet taken by the apps that react to them are locked first, so a fan-out running now
    either finishes before (and its mails are then deleted with the person's others) or reads the
    reports already forgotten. Returns the reports' ids."""
    ids = list(reports.values_list("pk", flat=True))
    if ids:
        list(ReportEvent.objects.select_for_update().filter(report_id__in=ids, dispatched=False).values("pk"))
        Report.objects.filter(pk__in=ids).update(author=None, **FORGOTTEN)
    return ids


@transaction.atomic
def reports_forget_contacts(*, ids: list[int]) -> int:
    """Retention: these reports lose their contact details (the author's account, if any, keeps its link:
    the account is its owner's to erase). Reports already without contacts are left alone, so running
    again changes nothing. Returns how many reports lost contacts now."""
    return Report.objects.filter(HOLDS_CONTACTS, pk__in=ids).update(**FORGOTTEN)


def reports_hide_names(*, reports: QuerySet[Report]) -> int:
    """The person withdrew consent to show their name: none of these reports shows it any more."""
    return Report.objects.filter(pk__in=reports.values("pk"), show_name=True).update(show_name=False)
