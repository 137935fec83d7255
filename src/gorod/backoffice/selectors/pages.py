"""What the back office's list pages show, as plain data for their templates: the overview's figures,
the moderation queue and the department queue. Each is read in a fixed number of queries whatever the
number of rows (tests/backoffice/test_query_counts.py pins them)."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from gorod.accounts.models import User
from gorod.accounts.roles import is_city_admin, is_department_head
from gorod.backoffice.selectors.desk import Desk, sees_all_departments
from gorod.backoffice.selectors.history import event_title
from gorod.backoffice.selectors.queues import (
    IN_WORK,
    QueueFilter,
    department_queue,
    moderation_queue,
    pending_answers,
    returned_answer_ids,
)
from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Department, District, Municipality, RejectionReason, ResponseTemplate
from gorod.reports.models import Report, ReportEvent
from gorod.reports.services import moderation
from gorod.reports.workflow import CLOSED, OPEN, TRANSITIONS, Status

MODERATION_PAGE_SIZE = 50
HELD_ANSWERS_SHOWN = 100
QUEUE_PAGE_SIZE = 50
# A bulk change of department needs a department per report: one at a time, from the report's page.
BULK_ACTIONS = [(a, TRANSITIONS[a].label) for a in moderation.DEPARTMENT_ACTIONS if a != "transfer"]


class HomeFigures(TypedDict):
    submitted: int
    moderation_overdue: int
    pending_answers: int
    working: int
    overdue: int


def home_figures(*, municipality: Municipality, today: dt.date) -> HomeFigures:
    """One pass over the city's open reports (few, next to its closed history) for four of the counts,
    and one count of the answers held for moderators."""
    submitted = Q(status=Status.SUBMITTED)
    counts = Report.objects.filter(municipality=municipality, status__in=OPEN).aggregate(
        submitted=Count("pk", filter=submitted),
        moderation_overdue=Count("pk", filter=submitted & Q(moderation_due__lt=today)),
        working=Count("pk", filter=Q(status__in=IN_WORK)),
        overdue=Count("pk", filter=~submitted & Q(deadline__lt=today)),
    )
    return HomeFigures(
        submitted=counts["submitted"],
        moderation_overdue=counts["moderation_overdue"],
        pending_answers=pending_answers(municipality).count(),
        working=counts["working"],
        overdue=counts["overdue"],
    )


class ModerationRow(TypedDict):
    report: Report
    left: int | None  # working days to moderate it in


class HeldAnswer(TypedDict):
    event: ReportEvent
    title: str


class ModerationPage(TypedDict):
    page: Page
    rows: list[ModerationRow]
    answers: list[HeldAnswer]
    can_accept: bool
    can_moderate_answers: bool
    reasons: list[RejectionReason]  # to reject the chosen rows with; empty for those who may not reject


def moderation_page(*, desk: Desk, page_number: str | None) -> ModerationPage:
    page = Paginator(moderation_queue(desk.municipality), MODERATION_PAGE_SIZE).get_page(page_number)
    held = pending_answers(desk.municipality)[:HELD_ANSWERS_SHOWN]
    rows = [ModerationRow(report=r, left=desk.days_left(r.moderation_due)) for r in page.object_list]
    may_reject = bool(rows) and desk.user.has_perm("reports.reject", None)
    return {
        "page": page,
        "rows": rows,
        "answers": [{"event": e, "title": event_title(e.action)} for e in held],
        "can_accept": desk.user.has_perm("reports.accept", None),
        "can_moderate_answers": desk.user.has_perm("reports.moderate_answer", None),
        "reasons": list(RejectionReason.objects.filter(municipality=desk.municipality)) if may_reject else [],
    }


class QueueRow(TypedDict):
    report: Report
    left: int | None  # working days to its deadline, while it is open
    returned: bool  # a moderator sent the department's answer back


class MapPoint(TypedDict):
    id: int
    lat: float
    lon: float
    overdue: bool


class QueuePage(TypedDict):
    page: Page
    rows: list[QueueRow]
    map_points: list[MapPoint]
    sees_all: bool
    department: Department | None  # the one the queue is filtered to
    departments: list[Department]  # to filter by, for those who see them all
    categories: list[Category]
    districts: list[District]
    staff: list[User]  # of the filtered department: to filter by and to assign to
    may_assign: bool  # offered to the roles that may; each report is checked again when it runs
    templates: list[ResponseTemplate]
    bulk_actions: list[tuple[str, str]]


def queue_page(*, desk: Desk, f: QueueFilter, page_number: str | None) -> QueuePage:
    reports = department_queue(desk.user, desk.municipality, f, desk.today)
    page = Paginator(reports, QUEUE_PAGE_SIZE).get_page(page_number)
    rows = _queue_rows(desk, list(page.object_list))
    sees_all = sees_all_departments(desk.user)
    departments = list(Department.objects.filter(municipality=desk.municipality)) if sees_all else []
    return {
        "page": page,
        "rows": rows,
        "map_points": [
            {"id": r["report"].pk, "lat": r["report"].lat, "lon": r["report"].lon, "overdue": _late(r)}
            for r in rows
        ],
        "sees_all": sees_all,
        "department": next((d for d in departments if d.pk == f.department), None)
        if sees_all
        else desk.user.department,
        "departments": departments,
        "categories": list(
            Category.objects.filter(municipality=desk.municipality, active=True).only("id", "name", "name_en")
        ),
        "districts": list(city_selectors.districts_of(desk.municipality).only("id", "name", "name_en")),
        "staff": list(moderation.assignable_staff(f.department)) if f.department else [],
        "may_assign": bool(is_department_head(desk.user) or is_city_admin(desk.user)),
        "templates": list(
            ResponseTemplate.objects.filter(
                municipality=desk.municipality, action__in=moderation.DEPARTMENT_ACTIONS
            )
            .select_related("category")
            .order_by("action", "title")
        ),
        "bulk_actions": BULK_ACTIONS,
    }


def _queue_rows(desk: Desk, reports: list[Report]) -> list[QueueRow]:
    returned = returned_answer_ids([r.pk for r in reports])
    return [
        {
            "report": r,
            "left": desk.days_left(r.deadline) if r.status not in CLOSED else None,
            "returned": r.pk in returned,
        }
        for r in reports
    ]


def _late(row: QueueRow) -> bool:
    return row["left"] is not None and row["left"] < 0
