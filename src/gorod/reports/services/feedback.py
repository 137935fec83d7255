"""The citizen's side of a resolved report: confirm the fix, dispute it, or say nothing (which confirms it
once the window closes); after an explicit confirmation, one satisfaction rating.

Who may answer: the signed-in author (django-rules `reports.confirm` / `reports.dispute` / `reports.rate`),
or whoever holds the signed link mailed to the author (`confirmation_url`). The link carries only the
report's number and the resolve event it answers — no personal data — and is salted for this use. It
stops working when the window closes (Report.confirm_due) and after one use, because the report's state
has moved on (or a later resolution made a new event to answer).

A dispute is two events in one transaction: "dispute" (RESOLVED → DISPUTED, the author's reason, which
counts against the department) and "reopen" (DISPUTED → REOPENED, by the system), with a fresh deadline:
the category's executor days (or GOROD_DISPUTE_DEADLINE_DAYS) counted from the day of the dispute, never
earlier than the deadline the report already had.

Every refusal changes nothing, is logged with the report number, the action and the code only, and
raises (errors.py) ReportNotFound with code "invalid" for a forged or foreign link, or ReportForbidden
with a code of REFUSALS for anything else; wrong input (no reason, a score out of range) raises
ReportInvalid naming the field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gorod.city import selectors as city_selectors
from gorod.core import clock
from gorod.reports.models import Report, ReportEvent, Satisfaction
from gorod.reports.services.common import clean_text, locked
from gorod.reports.services.deadlines import working_days_from_today
from gorod.reports.services.errors import ReportForbidden, ReportInvalid, ReportNotFound, ReportRefused
from gorod.reports.services.transition import report_transition
from gorod.reports.workflow import Status

# Both named after this module's old place: log filters and the links already mailed rely on them.
logger = logging.getLogger("gorod.reports.feedback")
SALT = "gorod.reports.feedback.answer"
# A link is never honoured longer than this, whatever the report's window says (a window is ~2 weeks).
LINK_MAX_AGE = dt.timedelta(days=120)
MAX_REASON = 2000
MAX_COMMENT = 2000
# Marks the event of a confirmation by silence (auto_confirm_due), which does not open the rating.
AUTO_MARK = "auto_confirmed"

REFUSALS = {
    "invalid": gettext_lazy("This link is not valid."),
    "forbidden": gettext_lazy("Only the author of the report can answer for it."),
    "answered": gettext_lazy("This report has already been answered, or its state has changed since."),
    "expired": gettext_lazy("The time to confirm or dispute this fix is over."),
    "not_confirmed": gettext_lazy("A rating can be given only after the author confirmed the fix."),
    "rated": gettext_lazy("This report has already been rated."),
}


@dataclasses.dataclass(frozen=True)
class Grant:
    """What a valid signed link allows: answering `event_id` (a resolve event) of report `report_id`."""

    report_id: int
    event_id: int
    token: str


# --- links ----------------------------------------------------------------------------------------
def latest_resolve(report: Report) -> ReportEvent | None:
    return ReportEvent.objects.filter(report_id=report.pk, action="resolve").order_by("-at", "-id").first()


def answer_token(report: Report, event: ReportEvent) -> str:
    return signing.dumps({"r": report.pk, "e": event.pk}, salt=SALT, compress=False)


def confirmation_url(report: Report) -> str:
    """The path (no host) of the page where the author confirms or disputes the report's latest
    resolution without signing in; "" when the report is not awaiting that answer."""
    if report.status != Status.RESOLVED:
        return ""
    event = latest_resolve(report)
    if event is None:
        return ""
    return reverse("report-answer", args=[report.pk, answer_token(report, event)])


def read_token(token: str, *, report_id: int) -> Grant:
    """The grant a link carries, or ReportNotFound (code "invalid") for a forged, mangled or foreign one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        _refuse("invalid", "link", report_id)
    if not isinstance(data, dict) or data.get("r") != report_id or not isinstance(data.get("e"), int):
        _refuse("invalid", "link", report_id)
    return Grant(report_id=report_id, event_id=data["e"], token=token)


# --- the window -----------------------------------------------------------------------------------
def _tz(report: Report) -> ZoneInfo:
    return ZoneInfo(report.municipality.timezone)


def answer_due(report: Report, resolve: ReportEvent | None = None) -> dt.date | None:
    """The last day the author may answer: Report.confirm_due, or — for reports loaded in bulk without
    one — GOROD_CONFIRM_DAYS working days after the local day of the latest resolution."""
    if report.confirm_due is not None:
        return report.confirm_due
    resolve = resolve or latest_resolve(report)
    if resolve is None:
        return None
    calendar = city_selectors.calendar_for(report.municipality_id)
    day = resolve.at.astimezone(_tz(report)).date()
    return calendar.add_working_days(day, settings.GOROD_CONFIRM_DAYS)


def _confirm_event(report: Report) -> ReportEvent | None:
    return ReportEvent.objects.filter(report_id=report.pk, action="confirm").order_by("-at", "-id").first()


@dataclasses.dataclass(frozen=True)
class Loop:
    """What the report page offers this visitor."""

    can_answer: bool = False  # the confirm/dispute box
    due: dt.date | None = None
    can_rate: bool = False
    rating: Satisfaction | None = None
    auto_confirmed: bool = False


def loop_for(report: Report, *, user=None, grant: Grant | None = None) -> Loop:
    """Read-only: which parts of the loop to show. The write functions check everything again."""
    rating = Satisfaction.objects.filter(report_id=report.pk).first()
    if report.status == Status.RESOLVED:
        resolve = latest_resolve(report)
        due = answer_due(report, resolve)
        try:
            _check_answer(report, user=user, grant=grant, action="confirm", resolve=resolve, log=False)
        except ReportRefused:
            return Loop(due=due)
        return Loop(can_answer=True, due=due)
    if report.status == Status.CONFIRMED:
        confirm = _confirm_event(report)
        auto = bool(confirm is not None and confirm.changes.get(AUTO_MARK))
        try:
            _check_rate(report, user=user, grant=grant, log=False)
        except ReportRefused:
            return Loop(rating=rating, auto_confirmed=auto)
        return Loop(can_rate=True, rating=rating, auto_confirmed=auto)
    return Loop(rating=rating)


# --- checks ---------------------------------------------------------------------------------------
def _refusal(code: str) -> ReportRefused:
    kind = ReportNotFound if code == "invalid" else ReportForbidden
    return kind(str(REFUSALS[code]), code=code)


def _refuse(code: str, action: str, report_id: int | None):
    # No names, addresses or tokens in the log: the number, the action and why.
    logger.warning("feedback refused: report=%s action=%s reason=%s", report_id, action, code)
    raise _refusal(code)


def _check_person(report: Report, *, user, grant: Grant | None, action: str, log: bool) -> None:
    refuse = _refuse if log else _quiet
    if grant is not None:
        if grant.report_id != report.pk:
            refuse("invalid", action, report.pk)
        return
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not user.has_perm(f"reports.{action}", report)
    ):
        refuse("forbidden", action, report.pk)


def _quiet(code: str, action: str, report_id: int | None):
    raise _refusal(code)


def _check_answer(
    report: Report, *, user, grant: Grant | None, action: str, resolve: ReportEvent | None, log: bool = True
) -> None:
    refuse = _refuse if log else _quiet
    if report.status != Status.RESOLVED:
        # Checked before the person: a used link says "already answered", which is the truth.
        refuse("answered", action, report.pk)
    _check_person(report, user=user, grant=grant, action=action, log=log)
    if grant is not None and (resolve is None or grant.event_id != resolve.pk):
        refuse("answered", action, report.pk)  # a link for an earlier resolution
    due = answer_due(report, resolve)
    if due is None or clock.today(_tz(report)) > due:
        refuse("expired", action, report.pk)


def _check_rate(report: Report, *, user, grant: Grant | None, log: bool = True) -> None:
    refuse = _refuse if log else _quiet
    if report.status != Status.CONFIRMED:
        refuse("not_confirmed", "rate", report.pk)
    confirm = _confirm_event(report)
    if confirm is None or confirm.changes.get(AUTO_MARK):
        refuse("not_confirmed", "rate", report.pk)
    # A signed-in author's permission already says "confirmed"; the link also needs its own resolution
    # and the window (a confirmation on the last day leaves that day to rate).
    if grant is not None:
        resolve = latest_resolve(report)
        _check_person(report, user=user, grant=grant, action="rate", log=log)
        if resolve is None or grant.event_id != resolve.pk:
            refuse("invalid", "rate", report.pk)
        due = answer_due(report, resolve)
        if due is None or clock.today(_tz(report)) > due:
            refuse("expired", "rate", report.pk)
    else:
        _check_person(report, user=user, grant=None, action="rate", log=log)
    if Satisfaction.objects.filter(report_id=report.pk).exists():
        refuse("rated", "rate", report.pk)


def _actor(user, report: Report, action: str):
    """Who the event names: the signed-in author; nobody for a link used by someone not signed in as
    the author (the link says the author answered, not who clicked)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user if user.has_perm(f"reports.{action}", report) else None


# --- writes ---------------------------------------------------------------------------------------
def feedback_confirm(*, report: Report, user=None, grant: Grant | None = None) -> Report:
    """The author confirms the fix: RESOLVED → CONFIRMED. Opens the rating."""
    with transaction.atomic():
        report = locked(report)
        _check_answer(report, user=user, grant=grant, action="confirm", resolve=latest_resolve(report))
        try:
            return report_transition(report=report, action="confirm", actor=_actor(user, report, "confirm"))
        except ReportRefused:  # the check above holds the row lock, so this is only defensive
            _refuse("answered", "confirm", report.pk)
    raise AssertionError("unreachable")


def feedback_dispute(*, report: Report, reason: str, user=None, grant: Grant | None = None) -> Report:
    """The author says it is not fixed: "dispute" then "reopen", with a fresh deadline (module doc)."""
    reason = clean_text(reason, limit=MAX_REASON, field="reason", required=_("Say what is still wrong."))
    with transaction.atomic():
        report = locked(report)
        _check_answer(report, user=user, grant=grant, action="dispute", resolve=latest_resolve(report))
        actor = _actor(user, report, "dispute")
        report = report_transition(report=report, action="dispute", actor=actor, public_note=reason)
        old = report.deadline
        new = max(old, _rework_deadline(report))
        report = report_transition(
            report=report,
            action="reopen",
            changes={"deadline": [old.isoformat(), new.isoformat()]} if new != old else {},
        )
        if new != old:
            Report.objects.filter(pk=report.pk).update(deadline=new)
            report.deadline = new
        return report


def _rework_deadline(report: Report) -> dt.date:
    days = getattr(settings, "GOROD_DISPUTE_DEADLINE_DAYS", None)
    days = int(days) if days is not None else report.category.deadline_days
    return working_days_from_today(report, max(days, 0))


def feedback_rate(
    *, report: Report, score: int | str | None, comment: str = "", user=None, grant: Grant | None = None
) -> Satisfaction:
    """One rating (1–5, optional comment) per report, after the author's own confirmation."""
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ReportInvalid({"score": [_("Choose a score from 1 to 5.")]})
    comment = clean_text(comment, limit=MAX_COMMENT, field="comment")
    try:
        with transaction.atomic():
            report = locked(report)
            _check_rate(report, user=user, grant=grant)
            rating = Satisfaction(report=report, score=value, comment=comment, created=clock.now())
            rating.full_clean(exclude=["report"])
            rating.save()
            return rating
    except IntegrityError:  # a second rating racing the first
        _refuse("rated", "rate", report.pk)
    raise AssertionError("unreachable")


# --- silence confirms -----------------------------------------------------------------------------
def confirm_overdue(*, batch_size: int = 500) -> int:
    """Confirm every resolved report whose window has closed without an answer. Returns how many.
    Idempotent: a report confirmed (or answered) meanwhile is left alone."""
    done = 0
    today_by_tz: dict[str, dt.date] = {}
    last_pk = 0
    while True:
        batch = list(
            Report.objects.filter(status=Status.RESOLVED, pk__gt=last_pk)
            # Wide enough for any time zone; the exact local check is per report below.
            .filter(
                Q(confirm_due__isnull=True) | Q(confirm_due__lt=clock.now().date() + dt.timedelta(days=1))
            )
            .select_related("municipality")
            .only("pk", "status", "confirm_due", "municipality_id", "municipality__timezone")
            .order_by("pk")[:batch_size]
        )
        if not batch:
            return done
        last_pk = batch[-1].pk
        for report in batch:
            tz = report.municipality.timezone
            today = today_by_tz.setdefault(tz, clock.today(ZoneInfo(tz)))
            due = answer_due(report)
            if due is None or today <= due:
                continue
            try:
                report_transition(
                    report=report,
                    action="confirm",
                    private_note=_("Confirmed automatically: no answer by %(date)s.")
                    % {"date": due.isoformat()},
                    changes={AUTO_MARK: [False, True]},
                )
            except ReportRefused:
                continue  # answered between the read and the lock
            done += 1
