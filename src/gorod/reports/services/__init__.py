"""Every write to reports goes through this package; views, the Open311 API, the back office and the
worker call nothing else to change a report.

    create       report_create: a citizen's or a client's new report (validate → place → persist)
    transition   report_transition: the one way a status changes, by workflow.TRANSITIONS
    moderation   staff writes: moderation, department work, answer moderation, bulk actions
    feedback     the author's side of a fix: confirm, dispute, rate; silence confirms
    bulk         loading historical reports fast (demo city, benchmarks, migrations)
    pii          the contact details: forgetting them (erasure, retention)
    deadlines    working-day deadlines the writes set
    common       what they share: the row lock, the permission check, text and photo cleaning
    errors       the one family of refusals (ReportRefused and its kinds)

Every write runs in a transaction and records its ReportEvent rows (reports.events) in it; the apps that
react to events (notifications) take them from there, so nothing here knows who is told.

The names most callers need are importable from the package itself."""

from gorod.reports.services.create import MAX_DESCRIPTION, NewReport, report_create
from gorod.reports.services.deadlines import Deadlines, compute_deadlines, confirmation_due
from gorod.reports.services.errors import (
    ReportConflict,
    ReportForbidden,
    ReportInvalid,
    ReportNotFound,
    ReportRefused,
)
from gorod.reports.services.transition import report_transition

__all__ = [
    "MAX_DESCRIPTION",
    "Deadlines",
    "NewReport",
    "ReportConflict",
    "ReportForbidden",
    "ReportInvalid",
    "ReportNotFound",
    "ReportRefused",
    "compute_deadlines",
    "confirmation_due",
    "report_create",
    "report_transition",
]
