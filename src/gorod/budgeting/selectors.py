"""Reads of the budgeting app with any logic: process lists, the timeline, ideas with support counts,
ballot contents of a scope, the published results shaped for the results page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from gorod.budgeting import ballot_kinds, explanations, phases
from gorod.budgeting.explanations import Story
from gorod.budgeting.models import Budget, ExpertReview, Milestone, Phase, Process, Project, Receipt, Result
from gorod.core import clock


def published_processes(municipality) -> QuerySet[Process]:
    return (
        Process.objects.filter(municipality=municipality, published=True)
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("starts", "id")))
        .order_by("-created")
    )


def process_by_slug(municipality, slug: str) -> Process | None:
    if municipality is None:
        return None
    return (
        Process.objects.filter(municipality=municipality, slug=slug, published=True)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts", "id")),
            Prefetch(
                "budgets", queryset=Budget.objects.select_related("district").order_by("district__name")
            ),
        )
        .first()
    )


@dataclass
class TimelineStep:
    phase: Phase
    state: str  # "done", "current", "upcoming"


def timeline(process: Process, at: dt.datetime | None = None) -> list[TimelineStep]:
    at = at or clock.now()
    steps = []
    for phase in process.phase_list():
        state = "done" if phase.ends <= at else "current" if phase.starts <= at else "upcoming"
        steps.append(TimelineStep(phase, state))
    return steps


def current_kind(process: Process) -> str | None:
    current = phases.current_phase(process.phase_list())
    return current.kind if current else None


def budgets(process: Process) -> list[Budget]:
    return list(process.budgets.all())


def ideas(process: Process, *, district_slug: str = "", status: str = "") -> QuerySet[Project]:
    qs = (
        Project.objects.filter(process=process)
        .select_related("district")
        .annotate(n_supports=Count("supports", distinct=True))
        .order_by("order", "id")
    )
    if district_slug == "city":
        qs = qs.filter(district=None)
    elif district_slug:
        qs = qs.filter(district__slug=district_slug)
    if status:
        qs = qs.filter(status=status)
    return qs


def project(process: Process, code: str) -> Project | None:
    return (
        Project.objects.filter(process=process, code=code)
        .select_related("district")
        .annotate(n_supports=Count("supports", distinct=True))
        .prefetch_related(
            Prefetch("reviews", queryset=ExpertReview.objects.select_related("expert").order_by("created")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "id")),
        )
        .first()
    )


def supported_by(user, process: Process) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Project.objects.filter(process=process, supports__user=user).values_list("pk", flat=True))


def ballot_projects(process: Process, district) -> list[Project]:
    qs = Project.objects.filter(process=process, status=Project.Status.ON_BALLOT)
    qs = qs.filter(district=None) if district is None else qs.filter(district=district)
    return list(qs.order_by("order", "id"))


def review_queue(process: Process) -> QuerySet[Project]:
    return Project.objects.filter(
        process=process,
        status__in=[
            Project.Status.SUPPORTED,
            Project.Status.IN_REVIEW,
            Project.Status.FEASIBLE,
            Project.Status.INFEASIBLE,
        ],
    ).order_by("order", "id")


def public_reviews(process: Process) -> QuerySet[ExpertReview]:
    return (
        ExpertReview.objects.filter(project__process=process)
        .select_related("project", "expert")
        .order_by("project__order", "project_id", "created")
    )


def receipt_state(process: Process, receipt_hash: str) -> str:
    """'counted', 'replaced' (a later ballot of the same voter counts instead) or 'unknown'."""
    row = Receipt.objects.filter(process=process, receipt_hash=receipt_hash).values_list(
        "ballot_id", flat=True
    )
    found = list(row[:1])
    if not found:
        return "unknown"
    return "counted" if found[0] is not None else "replaced"


def counted_receipts(process: Process) -> QuerySet:
    return (
        Receipt.objects.filter(process=process, ballot__isnull=False)
        .order_by("receipt_hash")
        .values_list("receipt_hash", flat=True)
    )


# --- results -------------------------------------------------------------------------------------


@dataclass
class Bar:
    project: Project
    votes: int
    score: int | None
    funded: bool
    width: float = 0.0  # share of the longest bar, 0..1

    @property
    def value(self) -> int:
        """What the bar shows: points on a cumulative ballot, votes otherwise."""
        return self.score if self.score is not None else self.votes


@dataclass
class Explanation:
    project: Project
    funded: bool
    supporters: int
    money_left: int | None  # what its supporters had left when it was considered (or at the end)
    cost: float
    round: int | None = None
    price: float | None = None  # funded in a round: the most a supporter paid per unit of satisfaction
    stage: str = ""  # "mes", "free" (cost 0), "completion" (funded by the completion after MES)


@dataclass
class ScopeResults:
    budget: Budget
    result: Result | None
    compare: list[Result] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    used: Decimal = Decimal(0)
    funded: list[Project] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    story: Story | None = None  # the result in plain words
    explained_rule: str = ""  # the rule whose decisions `explanations` shows


def _counts(process: Process, district) -> tuple[dict[str, int], dict[str, int]]:
    from gorod.budgeting.models import Ballot

    qs = Ballot.objects.filter(process=process)
    qs = qs.filter(district=None) if district is None else qs.filter(district=district)
    votes: dict[str, int] = {}
    scores: dict[str, int] = {}
    for choices, points in qs.values_list("choices", "points").iterator(chunk_size=5000):
        for i, code in enumerate(choices):
            votes[code] = votes.get(code, 0) + 1
            if points is not None:
                scores[code] = scores.get(code, 0) + int(points[i])
    return votes, scores


def _mes_rows(details: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-project MES explanations from the tally's details, keyed by project id. The tally gives a
    list or a dict of records; field names are read leniently so a renamed key shows as missing, not
    as a crash."""
    raw = details.get("mes") if isinstance(details, dict) else None
    rows: dict[str, dict[str, Any]] = {}
    if isinstance(raw, dict):
        items = [({"project": k, **v} if isinstance(v, dict) else {"project": k}) for k, v in raw.items()]
    elif isinstance(raw, list):
        items = [r for r in raw if isinstance(r, dict)]
    else:
        items = []
    for item in items:
        code = str(item.get("project") or item.get("project_id") or item.get("id") or "")
        if code:
            rows[code] = item
    return rows


def _first_number(row: dict[str, Any], *names: str) -> float | None:
    for name in names:
        value = row.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def scope_results(process: Process, budget: Budget) -> ScopeResults:
    district = budget.district
    results = {r.rule: r for r in Result.objects.filter(process=process, district=district)}
    main = results.get(process.tally_rule)
    out = ScopeResults(budget=budget, result=main)
    out.compare = [results[r] for r in dict.fromkeys((process.tally_rule, "greedy", "mes")) if r in results]
    projects = Project.objects.filter(
        process=process,
        status__in=[Project.Status.ON_BALLOT, Project.Status.FUNDED, Project.Status.NOT_FUNDED],
    )
    projects = projects.filter(district=None) if district is None else projects.filter(district=district)
    by_code = {p.code: p for p in projects.order_by("order", "id")}
    out.names = {code: p.title for code, p in by_code.items()}
    funded = set(main.funded) if main else set()
    votes, scores = _counts(process, district)
    cumulative = ballot_kinds.of(process).points
    bars = [
        Bar(p, votes.get(code, 0), scores.get(code, 0) if cumulative else None, code in funded)
        for code, p in by_code.items()
    ]
    bars.sort(key=lambda b: (-b.value, b.project.code))
    top = max((b.value for b in bars), default=0) or 1
    for b in bars:
        b.width = b.value / top
    out.bars = bars
    out.funded = [by_code[c] for c in (main.funded if main else []) if c in by_code]
    out.used = sum((p.cost for p in out.funded), Decimal(0))
    if main is not None:
        out.story = explanations.story(main, budget.amount, by_code, votes)
    # The deciding rule's own decisions when it is a kind of MES, else what MES would have done.
    mes = main if main is not None and main.rule in explanations.MES_RULES else results.get("mes")
    if mes is not None:
        out.explained_rule = mes.rule
        rows = _mes_rows(mes.details)
        mes_funded = set(mes.funded)
        for code, p in by_code.items():
            row = rows.get(code, {})
            out.explanations.append(
                Explanation(
                    project=p,
                    funded=code in mes_funded,
                    supporters=int(_first_number(row, "supporters", "voters") or votes.get(code, 0)),
                    # In whole currency units: kopecks of a share only make the table harder to read.
                    money_left=round(m)
                    if (m := _first_number(row, "available", "money_left")) is not None
                    else None,
                    cost=float(p.cost),
                    round=int(r) if (r := _first_number(row, "round")) is not None else None,
                    price=_first_number(row, "price"),
                    stage=str(row.get("stage") or ""),
                )
            )
        out.explanations.sort(
            key=lambda e: (not e.funded, e.round if e.round is not None else 10**9, e.project.order)
        )
    return out


def implementation(process: Process) -> list[tuple[Project, list[Milestone], Decimal]]:
    funded = (
        Project.objects.filter(process=process, status=Project.Status.FUNDED)
        .select_related("district")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("date", "id")))
        .order_by("order", "id")
    )
    out = []
    for p in funded:
        milestones = list(p.milestones.all())
        spent = milestones[-1].money_spent if milestones else Decimal(0)
        out.append((p, milestones, spent))
    return out
