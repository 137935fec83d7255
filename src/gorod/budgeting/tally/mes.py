"""The Method of Equal Shares (pabutools `method_of_equal_shares`), and its Add1 completion.

Every voter starts with an equal share of the budget. In each round the project that can be paid by
its supporters at the lowest price per unit of satisfaction ρ is funded: each supporter pays
min(their money, ρ × their satisfaction), and ρ is the least price at which those payments reach the
cost. Rounds end when no project can be paid. Ties go to the first project id.

How it is computed without a loop over voters, and still exactly as pabutools' rational arithmetic:

* Voters with the same money form a *class*. A voter's class changes only when they pay for a
  project: from class c to a new class "c after round r" (or to the class of zero money). So the money
  of the supporters of a project is a histogram of class ids (numpy bincount), and ρ is found over the
  distinct (money, satisfaction) groups of its supporters: tens to thousands, not millions of voters.
* Money is tracked in floats, one value per class. Each class also remembers how it was made (parent class,
  round, satisfaction), so its exact value, a Fraction, can be rebuilt on demand from the exact ρ of
  the rounds before. The two decisions that a float error could flip are taken again in exact
  arithmetic whenever the float margin is below `TOLERANCE`: which of several projects has the
  lowest ρ (ties included), and whether supporters can afford a project at all. What a supporter
  has left, max(money − ρ × sat, 0), is continuous, so it needs no exact decision.
* As in pabutools, a project's ρ only grows from round to round, so each round re-evaluates projects
  in order of their last ρ and stops at the first one whose last ρ exceeds the best found.

Satisfactions (the `mode`): "unit" (Cardinality_Sat: one per funded approved project), "cost"
(Cost_Sat: the project's cost; payments are the same as with "unit", projects compare by ρ / cost),
"points" (Additive_Cardinal_Sat: the points the voter gave).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

from gorod.budgeting.tally.election import Election

# Relative margin within which a float comparison is re-done exactly. Float error after a hundred
# rounds stays below 1e-13 relative (see tests/budgeting/tally/test_mes_exactness.py), so a float
# decision outside the margin is the exact one.
TOLERANCE = 1e-9
MODES = ("unit", "cost", "points")


@dataclass
class Setup:
    """What does not change between runs with different budgets: supporters and satisfactions."""

    election: Election
    mode: str
    voters: list[np.ndarray]
    sats: list[np.ndarray] | None
    weights: list[np.ndarray] | None
    total_sat: np.ndarray
    eligible: list[int]
    free: list[int]
    sat_space: int

    @classmethod
    def build(cls, election: Election, mode: str) -> Setup:
        if mode not in MODES:
            raise ValueError(f"unknown satisfaction {mode!r}")
        indptr, voters, entries = election.supporters
        points = election.points if mode == "points" else None
        per_voters: list[np.ndarray] = []
        per_sats: list[np.ndarray] = []
        per_weights: list[np.ndarray] = []
        for j in range(election.n_projects):
            vs = voters[indptr[j] : indptr[j + 1]]
            sat = None
            if points is not None:
                sat = points[entries[indptr[j] : indptr[j + 1]]]
                keep = sat > 0
                vs, sat = vs[keep], sat[keep]
            per_voters.append(vs)
            per_sats.append(sat if sat is not None else np.ones(len(vs), np.int64))
            per_weights.append(
                election.weights[vs] if election.weights is not None else np.ones(len(vs), np.int64)
            )
        total_sat = np.array([int(s @ w) for s, w in zip(per_sats, per_weights, strict=True)], dtype=np.int64)
        if mode == "cost":
            # Cost_Sat gives a free project no satisfaction: pabutools never funds it by MES.
            total_sat = total_sat * election.costs
        costs = election.costs
        rank = election.name_rank
        eligible = [j for j in range(election.n_projects) if total_sat[j] > 0 and costs[j] > 0]
        free = sorted(
            (j for j in range(election.n_projects) if total_sat[j] > 0 and costs[j] == 0),
            key=rank.__getitem__,
        )
        max_sat = max((int(s.max(initial=0)) for s in per_sats if s is not None), default=0)
        return cls(
            election=election,
            mode=mode,
            voters=per_voters,
            sats=per_sats if points is not None else None,
            weights=per_weights if election.weights is not None else None,
            total_sat=total_sat,
            eligible=eligible,
            free=free,
            sat_space=max_sat + 1 if points is not None else 1,
        )

    @cached_property
    def weighted_sat(self) -> np.ndarray:
        """Sum of satisfactions per project with unit satisfaction for "unit" and "cost" (the
        denominator of ρ)."""
        if self.mode == "cost":
            return self.total_sat // np.maximum(self.election.costs, 1)
        return self.total_sat


@dataclass
class Evaluation:
    project: int
    key: np.ndarray  # class key of each supporter, reused to move them after a purchase
    present: np.ndarray
    classes: np.ndarray
    sats: np.ndarray
    counts: np.ndarray
    available: float
    rho: float
    err: float
    exact_rho: Fraction | None = None


@dataclass
class Round:
    project: int
    classes: np.ndarray
    sats: np.ndarray
    counts: np.ndarray
    rho: float
    available: float
    exact_rho: Fraction | None = None


@dataclass
class Run:
    """One run of MES with every voter starting with `share` (scaled currency units)."""

    setup: Setup
    share: Fraction
    spend_limit: int | None = None
    selection: list[int] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)
    infeasible: bool = False

    def __post_init__(self) -> None:
        election = self.setup.election
        self.cls = np.ones(election.n_voters, dtype=np.int32)
        # Per class: money (float), and how it was made (parent class, round, satisfaction paid for)
        # so that its exact value can be rebuilt.
        self.values = np.zeros(64)
        self.parent = np.full(64, -1, dtype=np.int32)
        self.made_in = np.full(64, -1, dtype=np.int32)
        self.made_for = np.zeros(64, dtype=np.int64)
        self.values[1] = float(self.share)
        self.n_classes = 2
        self.exact: dict[int, Fraction] = {0: Fraction(0), 1: self.share}

    # --- exact values, rebuilt on demand ------------------------------------------------------------
    def exact_value(self, c: int) -> Fraction:
        value = self.exact.get(c)
        if value is None:
            parent, round_index, sat = int(self.parent[c]), int(self.made_in[c]), int(self.made_for[c])
            value = max(self.exact_value(parent) - self.round_rho(round_index) * sat, Fraction(0))
            self.exact[c] = value
        return value

    def round_rho(self, index: int) -> Fraction:
        record = self.rounds[index]
        if record.exact_rho is None:
            cost = int(self.setup.election.costs[record.project])
            rho = self._exact_rho(cost, record.classes, record.sats, record.counts)
            assert rho is not None, "a funded project was affordable"
            record.exact_rho = rho
        return record.exact_rho

    def _exact_rho(
        self, cost: int, classes: np.ndarray, sats: np.ndarray, counts: np.ndarray
    ) -> Fraction | None:
        """The least ρ with Σ min(money, ρ × sat) ≥ cost over the groups, None if unaffordable."""
        groups = [
            (self.exact_value(int(c)), int(s), int(m)) for c, s, m in zip(classes, sats, counts, strict=True)
        ]
        if sum(v * m for v, _, m in groups) < cost:
            return None
        groups.sort(key=lambda g: g[0] / g[1])
        paid = Fraction(0)
        remaining = sum(s * m for _, s, m in groups)
        for value, sat, count in groups:
            if cost - paid <= value / sat * remaining:
                return (cost - paid) / remaining
            paid += value * count
            remaining -= sat * count
        raise AssertionError("unreachable: the supporters can afford the project")

    # --- one project --------------------------------------------------------------------------------
    def evaluate(self, j: int) -> Evaluation | None:
        """ρ of project j now with a bound on its float error, or None if its supporters cannot pay
        for it."""
        setup = self.setup
        cost = int(setup.election.costs[j])
        voters = setup.voters[j]
        key = self.cls[voters]
        if setup.sats is not None:
            key = key.astype(np.int64) * setup.sat_space + setup.sats[j]
        weights = setup.weights[j] if setup.weights is not None else None
        histogram = np.bincount(key, weights=weights, minlength=self.n_classes * setup.sat_space)
        present = np.flatnonzero(histogram)
        counts = histogram[present]
        if weights is not None:
            counts = np.rint(counts).astype(np.int64)
        classes = present // setup.sat_space
        sats = present % setup.sat_space if setup.sats is not None else np.ones(len(present), np.int64)
        money = self.values[classes]
        ratio = money / sats
        order = np.argsort(ratio, kind="stable")
        money, sats_o, counts_o, ratio = money[order], sats[order], counts[order], ratio[order]
        paid = money * counts_o
        available = float(paid.sum())
        spread = TOLERANCE * cost
        if available < cost - spread:
            return None
        before = np.cumsum(paid) - paid
        weighted = (sats_o * counts_o).astype(np.int64)
        remaining = (int(weighted.sum()) - (np.cumsum(weighted) - weighted)).astype(float)
        fits = np.flatnonzero(cost - before <= ratio * remaining)
        k = int(fits[0]) if len(fits) else len(ratio) - 1
        rho = float((cost - before[k]) / remaining[k])
        err = TOLERANCE * rho
        evaluation = Evaluation(j, key, present, classes, sats, counts, available, rho, err)
        if available <= cost + spread:
            # Affordable only just, or only just not: decide exactly.
            exact = self._exact_rho(cost, classes, sats, counts)
            if exact is None:
                return None
            evaluation.exact_rho = exact
            evaluation.rho = float(exact)
        return evaluation

    def exact_rho_of(self, evaluation: Evaluation) -> Fraction:
        if evaluation.exact_rho is None:
            cost = int(self.setup.election.costs[evaluation.project])
            rho = self._exact_rho(cost, evaluation.classes, evaluation.sats, evaluation.counts)
            assert rho is not None
            evaluation.exact_rho = rho
        return evaluation.exact_rho

    # --- the rounds ---------------------------------------------------------------------------------
    def run(self) -> Run:
        setup = self.setup
        election = setup.election
        costs = election.costs
        rank = election.name_rank
        divisor = costs.astype(float) if setup.mode == "cost" else np.ones(election.n_projects)
        # pabutools funds free projects with satisfaction before the rounds start.
        self.selection = list(setup.free)
        spent = 0
        alive = list(setup.eligible)
        # Lower bounds on each project's key (ρ, or ρ / cost): ρ ≥ cost / total satisfaction, and
        # ρ never falls from one round to the next.
        lower = np.full(election.n_projects, np.inf)
        lower_err = np.zeros(election.n_projects)
        for j in alive:
            lower[j] = costs[j] / setup.weighted_sat[j] / divisor[j]
            lower_err[j] = TOLERANCE * lower[j]
        while alive:
            order = sorted(alive, key=lambda j: lower[j] - lower_err[j])
            best = math.inf
            found: dict[int, Evaluation] = {}
            for j in order:
                if lower[j] - lower_err[j] > best:
                    break
                evaluation = self.evaluate(j)
                if evaluation is None:
                    alive.remove(j)
                    continue
                lower[j] = evaluation.rho / divisor[j]
                lower_err[j] = evaluation.err / divisor[j]
                best = min(best, lower[j] + lower_err[j])
                found[j] = evaluation
            if not found:
                break
            low = min(lower[j] + lower_err[j] for j in found)
            contenders = [j for j in found if lower[j] - lower_err[j] <= low]
            if len(contenders) > 1:
                # Within rounding distance of each other: compare exactly.
                exact_keys = {
                    j: self.exact_rho_of(found[j]) / (int(costs[j]) if setup.mode == "cost" else 1)
                    for j in contenders
                }
                least = min(exact_keys.values())
                contenders = [j for j in contenders if exact_keys[j] == least]
            chosen = min(contenders, key=lambda j: int(rank[j]))
            self._buy(found[chosen])
            alive.remove(chosen)
            self.selection.append(chosen)
            spent += int(costs[chosen])
            if self.spend_limit is not None and spent > self.spend_limit:
                self.infeasible = True
                break
        return self

    def _buy(self, evaluation: Evaluation) -> None:
        """Charge the supporters of the funded project: each pays min(money, ρ × sat). Those who
        certainly pay all they have move to the class of zero money; the others to a new class per
        group, worth max(money − ρ × sat, 0). That value is continuous in ρ and the money, so it needs
        no exact decision: a float error only moves it within its error bound."""
        round_index = len(self.rounds)
        rho, err = evaluation.rho, evaluation.err
        self.rounds.append(
            Round(
                evaluation.project,
                evaluation.classes,
                evaluation.sats,
                evaluation.counts,
                rho,
                evaluation.available,
                evaluation.exact_rho,
            )
        )
        sats = evaluation.sats.astype(float)
        money = self.values[evaluation.classes]
        pay = rho * sats
        left = money - pay
        keeps = np.flatnonzero(left >= -TOLERANCE * (money + pay + err * sats))
        first = self.n_classes
        self._grow(first + len(keeps))
        new_ids = np.arange(first, first + len(keeps), dtype=np.int32)
        self.values[new_ids] = np.maximum(left[keeps], 0.0)
        self.parent[new_ids] = evaluation.classes[keeps]
        self.made_in[new_ids] = round_index
        self.made_for[new_ids] = evaluation.sats[keeps]
        self.n_classes = first + len(keeps)
        new_class = np.zeros(len(evaluation.classes), dtype=np.int32)
        new_class[keeps] = new_ids
        mapping = np.zeros(int(evaluation.present.max(initial=0)) + 1, dtype=np.int32)
        mapping[evaluation.present] = new_class
        self.cls[self.setup.voters[evaluation.project]] = mapping[evaluation.key]

    def _grow(self, size: int) -> None:
        if size > len(self.values):
            capacity = max(size, 2 * len(self.values))
            for name in ("values", "parent", "made_in", "made_for"):
                old = getattr(self, name)
                new = np.zeros(capacity, dtype=old.dtype)
                new[: len(old)] = old
                setattr(self, name, new)

    # --- explanations -------------------------------------------------------------------------------
    def supporters_paid(self, projects: list[int]) -> np.ndarray:
        """What the supporters of each of `projects` paid in each round (rows: `projects`, columns: the
        rounds; scaled units, float). A replay of the rounds voter by voter, since the rounds track
        classes, not voters; an explanation may be a little less exact than a decision."""
        setup = self.setup
        money = np.full(setup.election.n_voters, float(self.share))
        charged = np.zeros(setup.election.n_voters)  # this round's payments, cleared after it
        paid = np.zeros((len(projects), len(self.rounds)))
        for r, record in enumerate(self.rounds):
            voters = setup.voters[record.project]
            sats = setup.sats[record.project] if setup.sats is not None else 1.0
            pay = np.minimum(money[voters], record.rho * sats)
            money[voters] -= pay
            charged[voters] = pay
            for k, j in enumerate(projects):
                of_j = charged[setup.voters[j]]
                paid[k, r] = of_j.sum() if setup.weights is None else of_j @ setup.weights[j]
            charged[voters] = 0.0
        return paid

    def money_of_supporters(self, j: int) -> float:
        """What the supporters of project j have left now (scaled units, float)."""
        voters = self.setup.voters[j]
        money = self.values[self.cls[voters]]
        weights = self.setup.weights[j] if self.setup.weights is not None else None
        return float(money.sum() if weights is None else money @ weights)


def equal_shares(setup: Setup, budget: int, spend_limit: int | None = None) -> Run:
    """MES with the total `budget` (scaled units) shared equally; pabutools returns nothing when there
    are no ballots."""
    n = setup.election.n_ballots
    run = Run(setup, Fraction(budget, n) if n else Fraction(0), spend_limit)
    if n == 0:
        return run
    return run.run()


def is_exhaustive(election: Election, selection: list[int]) -> bool:
    left = election.budget - int(election.costs[selection].sum()) if selection else election.budget
    chosen = np.zeros(election.n_projects, dtype=bool)
    chosen[selection] = True
    return not bool((election.costs[~chosen] <= left).any())


def add1(setup: Setup) -> tuple[Run | None, int]:
    """pabutools `exhaustion_by_budget_increase` around MES with `budget_step` = number of voters:
    MES again with every share one currency unit larger, until its outcome is exhaustive (returned)
    or over budget (the previous outcome is returned), or the total passes budget × (voters + 1).
    Returns the run kept (None: the empty allocation) and the number of currency units added per
    voter."""
    election = setup.election
    n = election.n_ballots
    budget = election.budget
    step = n * election.scale
    bound = budget * (n + 1)
    eligible = set(setup.eligible) | set(setup.free)
    previous: Run | None = None
    k = 0
    while budget + k * step <= bound:
        run = equal_shares(setup, budget + k * step, spend_limit=budget)
        if run.infeasible:
            return previous, k - 1
        if is_exhaustive(election, run.selection):
            return run, k
        if set(run.selection) == eligible:
            # Everything MES can fund is funded and something still fits: every later run funds a
            # subset of the same projects, so it stays within budget and never becomes exhaustive,
            # and pabutools keeps going until the bound. Only the last run's order matters.
            last = (bound - budget) // step
            if last > k:
                return equal_shares(setup, budget + last * step, spend_limit=budget), last
            return run, k
        previous = run
        k += 1
    return previous, k - 1
