"""Ideas, support and expert review."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gorod.budgeting.errors import Refused
from gorod.budgeting.models import ExpertReview, Process, Project, Support
from gorod.budgeting.phases import Action
from gorod.budgeting.services.processes import _full_clean

MAX_COST = Decimal("1e13")
REVIEWABLE = (
    Project.Status.SUPPORTED,
    Project.Status.IN_REVIEW,
    Project.Status.FEASIBLE,
    Project.Status.INFEASIBLE,
)


def _require(user, action: str, process: Process, message: str) -> None:
    if user is None or not user.has_perm(f"budgeting.{action}", process):
        raise Refused(message)


def _amount(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise Refused(_("Enter the cost as a number."), field=field) from exc
    if not amount.is_finite() or amount <= 0 or amount >= MAX_COST:
        raise Refused(_("Enter a cost above zero."), field=field)
    return amount.quantize(Decimal("0.01"))


def _next_code(process: Process) -> str:
    # Codes are the public numbers of ideas: 1, 2, 3 … within a process (imported ones keep theirs).
    numbers = [
        int(c) for c in Project.objects.filter(process=process).values_list("code", flat=True) if c.isdigit()
    ]
    return str(max(numbers, default=0) + 1)


@transaction.atomic
def idea_submit(
    *,
    process: Process,
    author,
    title: str,
    description: str,
    district=None,
    location: str = "",
    cost,
    lat: float | None = None,
    lon: float | None = None,
) -> Project:
    _require(author, Action.SUBMIT_IDEA, process, _("Ideas are not being collected now."))
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise Refused(_("Give the idea a title."), field="title")
    if len(description) < 10:
        raise Refused(_("Describe the idea in a few words at least."), field="description")
    scopes = set(process.budgets.values_list("district_id", flat=True))
    district_id = district.pk if district is not None else None
    if district_id not in scopes:
        raise Refused(_("This process has no budget for the place you chose."), field="district")
    process = Process.objects.select_for_update().get(pk=process.pk)  # serialises the numbering
    order = (Project.objects.filter(process=process).aggregate(m=Max("order"))["m"] or 0) + 1
    project = Project(
        process=process,
        code=_next_code(process),
        district=district,
        author=author,
        title=title,
        description=description,
        location=(location or "").strip(),
        lat=lat,
        lon=lon,
        cost=_amount(cost, field="cost"),
        order=order,
    )
    _full_clean(project, exclude=["author", "district"])
    project.save()
    return project


@transaction.atomic
def idea_support(*, project: Project, user) -> Support:
    _require(user, Action.SUPPORT, project.process, _("Ideas cannot be supported now."))
    if project.status != Project.Status.SUBMITTED:
        raise Refused(_("This idea is no longer collecting support."))
    try:
        with transaction.atomic():
            return Support.objects.create(project=project, user=user)
    except IntegrityError as exc:
        raise Refused(_("You already support this idea.")) from exc


@transaction.atomic
def review_submit(*, project: Project, expert, feasible: bool, cost_estimate, opinion: str) -> ExpertReview:
    """An assigned expert's opinion; a second submission by the same expert replaces the first. The
    project is feasible while every opinion on it says so; its cost becomes the latest estimate."""
    _require(expert, Action.REVIEW, project.process, _("Projects are not being reviewed now, or not by you."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in REVIEWABLE:
        raise Refused(_("This project is not in expert review."))
    opinion = (opinion or "").strip()
    if len(opinion) < 10:
        raise Refused(_("Write the opinion the public will read."), field="opinion")
    estimate = _amount(cost_estimate, field="cost_estimate")
    review, _created = ExpertReview.objects.update_or_create(
        project=project,
        expert=expert,
        defaults={"feasible": bool(feasible), "cost_estimate": estimate, "opinion": opinion},
    )
    all_feasible = not project.reviews.filter(feasible=False).exists()
    project.status = Project.Status.FEASIBLE if all_feasible else Project.Status.INFEASIBLE
    project.cost = estimate
    project.save(update_fields=["status", "cost"])
    return review
