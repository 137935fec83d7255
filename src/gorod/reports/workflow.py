"""The report workflow, declared as data: statuses and the one table of allowed transitions.

Only `reports.services.report_transition` changes a report's status, and it consults TRANSITIONS;
anything not in the table is refused."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting moderation")
    ACCEPTED = "accepted", _("accepted")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    CONFIRMED = "confirmed", _("confirmed fixed")
    DISPUTED = "disputed", _("disputed")
    REOPENED = "reopened", _("reopened")
    REJECTED = "rejected", _("rejected")
    DUPLICATE = "duplicate", _("duplicate")

    @property
    def is_open(self) -> bool:
        return self not in CLOSED

    @property
    def open311(self) -> str:
        """GeoReport v2 knows only open and closed."""
        return "closed" if self in CLOSED else "open"


CLOSED = frozenset({Status.RESOLVED, Status.CONFIRMED, Status.REJECTED, Status.DUPLICATE})
OPEN = frozenset(set(Status) - CLOSED)
# Still with the department: counted against its deadline.
WORKING = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[Status]
    target: Status | None  # None: the status stays (a transfer keeps the report where it is)
    label: str
    needs_reason: bool = False  # a public note saying why is required
    needs_duplicate_of: bool = False
    needs_department: bool = False


def _t(action, sources, target, label, **flags) -> tuple[str, Transition]:
    return action, Transition(action, frozenset(sources), target, label, **flags)


TRANSITIONS: dict[str, Transition] = dict(
    [
        _t("accept", {Status.SUBMITTED}, Status.ACCEPTED, _("accept")),
        _t("reject", {Status.SUBMITTED}, Status.REJECTED, _("reject"), needs_reason=True),
        _t(
            "mark_duplicate",
            {Status.SUBMITTED, Status.ACCEPTED},
            Status.DUPLICATE,
            _("mark as duplicate"),
            needs_duplicate_of=True,
        ),
        _t("start", {Status.ACCEPTED, Status.REOPENED}, Status.IN_PROGRESS, _("start work")),
        _t(
            "resolve",
            WORKING,
            Status.RESOLVED,
            _("resolve"),
            needs_reason=True,
        ),
        _t("confirm", {Status.RESOLVED}, Status.CONFIRMED, _("confirm the fix")),
        _t("dispute", {Status.RESOLVED}, Status.DISPUTED, _("dispute the fix"), needs_reason=True),
        _t("reopen", {Status.DISPUTED}, Status.REOPENED, _("reopen")),
        _t(
            "transfer",
            WORKING | {Status.SUBMITTED},
            None,
            _("transfer to another department"),
            needs_reason=True,
            needs_department=True,
        ),
    ]
)


def allowed_actions(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if Status(status) in t.sources]


def target_of(transition: Transition, current: str) -> Status:
    return transition.target if transition.target is not None else Status(current)
