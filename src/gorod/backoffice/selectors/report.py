"""One report as the back office shows it: the report with its photos and whole history, what this staff
member may do to it now, and the choices those actions offer — read in a fixed number of queries."""

from __future__ import annotations

from typing import TypedDict

from django.db.models import Prefetch

from gorod.accounts.models import User
from gorod.backoffice.selectors.desk import Desk, visible_reports
from gorod.backoffice.selectors.history import HistoryLine, history_lines
from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Department, Municipality, RejectionReason, ResponseTemplate
from gorod.reports.attributes import answers
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.selectors import nearby_open_duplicates
from gorod.reports.services import moderation
from gorod.reports.workflow import Status, Transition, allowed_actions

MODERATION_ACTIONS = ("accept", "reject", "mark_duplicate")
# Permissions that show or hide a part of the page (rules in reports.rules).
PAGE_PERMISSIONS = ("view_contacts", "edit_content", "hide_content", "moderate_answer", "add_note", "assign")


class Contact(TypedDict):
    name: str
    email: str
    phone: str
    from_account: bool  # the report names none: the signed-in author's account does, and mails go there


class ReportPage(TypedDict):
    report: Report
    contact: Contact | None  # None for those who may not see it
    answers: list[tuple[str, str]]  # the category's questions and the author's answers, in words
    status: Status
    may: dict[str, bool]
    moderation_actions: list[str]
    department_actions: list[Transition]
    moderation_left: int | None  # working days, while it awaits moderation
    deadline_left: int | None  # working days, while it is open
    history: list[HistoryLine]
    photos: list[Photo]
    pending: list[ReportEvent]  # answers held for a moderator
    returned: ReportEvent | None  # the department's last answer, if a moderator sent it back
    categories: list[Category]  # active ones, for a correction before accepting
    departments: list[Department]  # the others, to transfer to
    reasons: list[RejectionReason]
    duplicates: list[Report]  # open reports of the category nearby
    staff: list[User]  # whom the report may be assigned to
    templates: list[ResponseTemplate]
    template_texts: dict[str, str]  # template id → its text filled for this report
    photo_required: bool  # to resolve it


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
            "author",
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


def report_page(*, desk: Desk, pk: int) -> ReportPage | None:
    """None when there is no such report or this user may not see it."""
    report = report_for_staff(desk.user, desk.municipality, pk)
    if report is None:
        return None
    may, moderation_actions, department_actions = _permitted(desk.user, report)
    events = list(report.events.all())
    categories, departments, names = _city_names(desk.municipality)
    names["rejection_reason"] = _reason_names(desk.municipality, events)
    templates = _templates(report) if department_actions else []
    return {
        "report": report,
        "contact": _contact(report) if may["view_contacts"] else None,
        "answers": answers(list(report.category.attributes.all()), report.attributes),
        "status": Status(report.status),
        "may": may,
        "moderation_actions": moderation_actions,
        "department_actions": department_actions,
        "moderation_left": desk.days_left(report.moderation_due)
        if report.status == Status.SUBMITTED
        else None,
        "deadline_left": desk.days_left(report.deadline) if report.is_open else None,
        "history": history_lines(events, names),
        "photos": list(report.photos.all()),
        "pending": [e for e in events if e.note_state == ReportEvent.NoteState.PENDING],
        "returned": _returned_answer(events),
        "categories": [c for c in categories if c.active],
        "departments": [d for d in departments if d.pk != report.department_id],
        "reasons": list(RejectionReason.objects.filter(municipality=desk.municipality))
        if "reject" in moderation_actions
        else [],
        "duplicates": _duplicates(report) if "mark_duplicate" in moderation_actions else [],
        "staff": list(moderation.assignable_staff(report.department_id)) if may["assign"] else [],
        "templates": templates,
        "template_texts": {str(t.pk): moderation.fill_template(t.text, report) for t in templates},
        "photo_required": report.category.photo_proof_required,
    }


def _contact(report: Report) -> Contact:
    """What the report says, or, where it gives no address, the signed-in author's account (where the
    mails about it go)."""
    author = report.author
    if author is not None and not report.contact_email and author.email_address:
        return Contact(
            name=report.contact_name or author.public_name,
            email=author.email_address,
            phone=report.contact_phone,
            from_account=True,
        )
    return Contact(
        name=report.contact_name, email=report.contact_email, phone=report.contact_phone, from_account=False
    )


def _permitted(user: User, report: Report) -> tuple[dict[str, bool], list[str], list[Transition]]:
    """The parts of the page this user may use, and the moderation and department actions they may
    take in the report's state."""
    may = {name: user.has_perm(f"reports.{name}", report) for name in PAGE_PERMISSIONS}
    actions = [t for t in allowed_actions(report.status) if user.has_perm(f"reports.{t.action}", report)]
    moderation_actions = [t.action for t in actions if t.action in MODERATION_ACTIONS]
    return may, moderation_actions, [t for t in actions if t.action in moderation.DEPARTMENT_ACTIONS]


def _city_names(
    municipality: Municipality,
) -> tuple[list[Category], list[Department], dict[str, dict]]:
    """The city's categories and departments (the forms offer them) and, for the history, the names of
    every category, department and district by id."""
    categories = list(
        Category.objects.filter(municipality=municipality).only("id", "name", "name_en", "active")
    )
    departments = list(Department.objects.filter(municipality=municipality))
    districts = city_selectors.districts_of(municipality).only("id", "name", "name_en")
    names = {
        "category": {c.pk: c.label for c in categories},
        "department": {d.pk: d.label for d in departments},
        "district": {d.pk: d.label for d in districts},
    }
    return categories, departments, names


def _reason_names(municipality: Municipality, events: list[ReportEvent]) -> dict[str, str]:
    """code → name of the rejection reasons, when the history mentions one (it records the code)."""
    if not any("rejection_reason" in (e.changes or {}) for e in events):
        return {}
    return {r.code: r.label for r in RejectionReason.objects.filter(municipality=municipality)}


def _returned_answer(events: list[ReportEvent]) -> ReportEvent | None:
    """reports.services.moderation.returned_answer, read from the history already loaded (oldest first)."""
    answers = [e for e in events if e.public_note and e.action not in moderation.NOT_ANSWERS]
    last = answers[-1] if answers else None
    return last if last is not None and last.note_state == ReportEvent.NoteState.WITHDRAWN else None


def _templates(report: Report) -> list[ResponseTemplate]:
    return list(
        moderation.templates_for(report)
        .filter(action__in=moderation.DEPARTMENT_ACTIONS)
        .order_by("action", "title")
    )


def _duplicates(report: Report) -> list[Report]:
    nearby = nearby_open_duplicates(category=report.category, lat=report.lat, lon=report.lon, limit=6)
    return [r for r in nearby if r.pk != report.pk][:5]
