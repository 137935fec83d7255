"""Reads of the back office: what each staff member may see, the queues and their filters. List
selectors return QuerySets that load a page in a fixed number of queries (tests pin the counts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet

from gorod.accounts.models import User
from gorod.accounts.roles import is_auditor, is_city_admin, is_department_staff, is_moderator
from gorod.city import selectors as city_selectors
from gorod.city.models import Municipality
from gorod.core import clock
from gorod.core.calendar import WorkCalendar
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.selectors import PRIVATE_FIELDS
from gorod.reports.workflow import CLOSED, OPEN, WORKING, Status

# The department queue's "in work": being worked on, or disputed by the author.
IN_WORK = WORKING | {Status.DISPUTED}


def municipality_of(user: User) -> Municipality | None:
    if user.department_id and user.department is not None:
        return user.department.municipality
    return city_selectors.default_municipality()


def sees_all_departments(user: User) -> bool:
    """Moderators, city administrators and auditors see every department's reports; department staff
    see only their own department's."""
    return bool(is_moderator(user) or is_city_admin(user) or is_auditor(user))


def visible_reports(user: User, municipality: Municipality) -> QuerySet[Report]:
    qs = Report.objects.filter(municipality=municipality)
    if sees_all_departments(user):
        return qs
    if is_department_staff(user) and user.department_id:
        return qs.filter(department_id=user.department_id)
    return qs.none()


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
        .exclude(action__in=("submit", "publish_answer"))
        .order_by("report_id", "at", "id")
        .values_list("report_id", "note_state")
    )
    for report_id, state in rows:
        latest[report_id] = state
    return {pk for pk, state in latest.items() if state == ReportEvent.NoteState.WITHDRAWN}


# --- the department queue -------------------------------------------------------------------------------
SORTS = {
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "created": ("created", "id"),
    "-created": ("-created", "-id"),
    "updated": ("updated", "id"),
    "-updated": ("-updated", "-id"),
}
STATUS_CHOICES = ("open", "working", "all", *Status.values)


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
    return for_rows(qs).order_by(*SORTS.get(f.sort, SORTS["deadline"]))


def report_for_staff(user: User, municipality: Municipality, pk: int) -> Report | None:
    """A report with everything its back-office page shows, if this user may see it."""
    if pk >= 2**63:
        return None
    return (
        visible_reports(user, municipality)
        .select_related(
            "category",
            "category__object_type",
            "district",
            "department",
            "municipality",
            "assignee",
            "duplicate_of",
        )
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.order_by("order", "id")),
            Prefetch(
                "events",
                queryset=ReportEvent.objects.select_related("department", "actor").order_by("at", "id"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


# --- deadlines in working days ---------------------------------------------------------------------------
def local_today(municipality: Municipality) -> dt.date:
    return clock.today(ZoneInfo(municipality.timezone))


def days_left(calendar: WorkCalendar, today: dt.date, due: dt.date | None) -> int | None:
    """Working days from today to the due day: 0 means due today, negative means overdue."""
    if due is None:
        return None
    if due >= today:
        return calendar.working_days_between(today, due)
    return -max(1, calendar.working_days_between(due, today))


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
