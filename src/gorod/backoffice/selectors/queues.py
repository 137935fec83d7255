"""The back office's queues as QuerySets: new reports, held answers, a department's reports under a
filter, the overdue ones. Each loads a page of rows in one query (tests pin the counts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import User
from gorod.backoffice.selectors.desk import visible_reports
from gorod.city.models import Municipality
from gorod.reports.models import Report, ReportEvent
from gorod.reports.selectors import PRIVATE_FIELDS
from gorod.reports.services.moderation import NOT_ANSWERS
from gorod.reports.workflow import CLOSED, OPEN, WORKING, Status

# The department queue's "in work": being worked on, or disputed by the author.
IN_WORK = WORKING | {Status.DISPUTED}


def for_rows(qs: QuerySet[Report]) -> QuerySet[Report]:
    return qs.select_related("category", "district", "department", "assignee").defer(*PRIVATE_FIELDS)


def moderation_queue(municipality: Municipality) -> QuerySet[Report]:
    """New reports, the most urgent first."""
    return for_rows(Report.objects.filter(municipality=municipality, status=Status.SUBMITTED)).order_by(
        "moderation_due", "created", "id"
    )


def pending_answers(municipality: Municipality) -> QuerySet[ReportEvent]:
    return (
        ReportEvent.objects.filter(
            report__municipality=municipality, note_state=ReportEvent.NoteState.PENDING
        )
        .select_related("report", "report__category", "department", "actor")
        .defer(*(f"report__{f}" for f in PRIVATE_FIELDS))
        .order_by("at", "id")
    )


def returned_answer_ids(report_ids: list[int]) -> set[int]:
    """Reports (among these) whose department's last answer a moderator sent back."""
    latest: dict[int, str] = {}
    rows = (
        ReportEvent.objects.filter(report_id__in=report_ids)
        .exclude(public_note="")
        .exclude(action__in=NOT_ANSWERS)
        .order_by("report_id", "at", "id")
        .values_list("report_id", "note_state")
    )
    for report_id, state in rows:
        latest[report_id] = state
    return {pk for pk, state in latest.items() if state == ReportEvent.NoteState.WITHDRAWN}


# --- the department queue -------------------------------------------------------------------------------
# value → (ordering, what the sort menu calls it)
SORTS = {
    "deadline": (("deadline", "id"), _("deadline, soonest first")),
    "-deadline": (("-deadline", "-id"), _("deadline, latest first")),
    "created": (("created", "id"), _("filed, oldest first")),
    "-created": (("-created", "-id"), _("filed, newest first")),
    "updated": (("updated", "id"), _("changed, oldest first")),
    "-updated": (("-updated", "-id"), _("changed, newest first")),
}
SORT_OPTIONS = [(value, label) for value, (_ordering, label) in SORTS.items()]
STATUS_OPTIONS = [
    ("working", _("in work (accepted, in progress, reopened, disputed)")),
    ("open", _("all open")),
    ("all", _("all")),
    *Status.choices,
]
STATUS_CHOICES = frozenset(value for value, _label in STATUS_OPTIONS)


@dataclass(frozen=True)
class QueueFilter:
    department: int | None = None
    status: str = "working"  # "open" | "working" | "all" | a workflow status
    category: int | None = None
    district: int | None = None
    assignee: int | None = None  # 0: nobody
    overdue: bool = False
    text: str = ""
    sort: str = "deadline"


def department_queue(
    user: User, municipality: Municipality, f: QueueFilter, today: dt.date
) -> QuerySet[Report]:
    qs = visible_reports(user, municipality)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.status == "open":
        qs = qs.filter(status__in=OPEN)
    elif f.status == "working":
        qs = qs.filter(status__in=IN_WORK)
    elif f.status in Status.values:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.district:
        qs = qs.filter(district_id=f.district)
    if f.assignee is not None:
        qs = qs.filter(assignee_id=f.assignee or None)
    if f.overdue:
        qs = qs.exclude(status__in=CLOSED).filter(deadline__lt=today)
    text = f.text.strip().lstrip("#№")
    if text:
        if text.isascii() and text.isdigit() and len(text) <= 18:
            qs = qs.filter(pk=int(text))
        else:
            qs = qs.filter(Q(description__icontains=f.text.strip()) | Q(address__icontains=f.text.strip()))
    return for_rows(qs).order_by(*SORTS.get(f.sort, SORTS["deadline"])[0])


def overdue_by_department(municipality: Municipality, today: dt.date) -> dict[int, list[Report]]:
    """Open reports past their deadline, by department, the longest overdue first."""
    rows = for_rows(
        Report.objects.filter(
            municipality=municipality,
            status__in=IN_WORK,
            deadline__lt=today,
            department__isnull=False,
        )
    ).order_by("department_id", "deadline", "id")
    result: dict[int, list[Report]] = {}
    for report in rows:
        assert report.department_id is not None
        result.setdefault(report.department_id, []).append(report)
    return result
