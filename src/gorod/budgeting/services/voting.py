"""Casting a ballot: eligibility, residency and age on the server, the kind's limits, then the ballot is
stored or replaces the voter's previous one through the roll link, under a row lock."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gorod.budgeting import eligibility, keys, phases
from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.eligibility.codes import ALPHABET
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Ballot, Budget, Process, Project, Receipt, VoterRoll
from gorod.budgeting.phases import PhaseKind
from gorod.core import clock

MAX_CHOICES = 500  # far above any real ballot; a forged form cannot make us loop over more


@dataclass(frozen=True)
class Cast:
    receipt: str  # the code shown once to the voter; only its SHA-256 is stored
    replaced: bool  # a previous ballot of this voter was replaced


def new_receipt() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(20))
    return "-".join(symbols[i : i + 5] for i in range(0, 20, 5))


def scope_key(district) -> str:
    return str(district.pk) if district is not None else "city"


def voting_window_error(process: Process) -> str | None:
    """Why the vote is not open now, or None when it is."""
    ballot = phases.phase_of_kind(process, PhaseKind.BALLOT)
    at = clock.now()
    if ballot is None:
        return _("This process has no vote.")
    if at < ballot.starts:
        return _("Voting has not opened yet.")
    if at >= ballot.ends:
        return _("Voting has closed. Ballots are no longer accepted.")
    return None


def _money(amount: Decimal, process: Process) -> str:
    return f"{number_format(amount, 0, force_grouping=True)} {process.currency}"


def validate_choices(
    *, process: Process, district, budget: Budget, choices: list[str], points: list[int] | None
) -> tuple[list[str], list[int] | None]:
    """The ballot as it will be stored, or Refused saying what is wrong. Only projects on the ballot of
    this scope may be chosen."""
    kind = process.ballot_kind
    if len(choices) > MAX_CHOICES:
        raise Refused(_("Your ballot names too many projects."))
    choices = [str(c).strip() for c in choices]
    if len(set(choices)) != len(choices):
        raise Refused(_("A project appears twice on your ballot."))
    on_ballot = {p.code: p for p in Project.objects.filter(process=process, status=Project.Status.ON_BALLOT)}
    scope_projects = [p for p in on_ballot.values() if p.district_id == (district.pk if district else None)]
    for code in choices:
        project = on_ballot.get(code)
        if project is None:
            raise Refused(_("Your ballot names a project that is not on the ballot."))
        if project.district_id != (district.pk if district else None):
            raise Refused(
                _("«%(title)s» is on the ballot of another district.") % {"title": project.title[:100]}
            )
    n = len(choices)
    if kind == Process.BallotKind.APPROVAL:
        least = min(process.min_choices, len(scope_projects))
        if n < max(least, 1):
            raise Refused(
                ngettext("Choose at least %(n)d project.", "Choose at least %(n)d projects.", max(least, 1))
                % {"n": max(least, 1)}
            )
        if process.max_choices is not None and n > process.max_choices:
            raise Refused(
                ngettext(
                    "Choose at most %(n)d project.", "Choose at most %(n)d projects.", process.max_choices
                )
                % {"n": process.max_choices}
            )
        return choices, None
    if kind == Process.BallotKind.KNAPSACK:
        if n < 1:
            raise Refused(_("Choose at least one project."))
        total = sum((on_ballot[c].cost for c in choices), Decimal(0))
        if total > budget.amount:
            raise Refused(
                _("Your choice costs %(total)s, more than the budget of %(budget)s.")
                % {"total": _money(total, process), "budget": _money(budget.amount, process)}
            )
        floor = budget.amount * process.min_spend_percent / 100
        floor = min(floor, sum((p.cost for p in scope_projects), Decimal(0)))
        if total < floor:
            raise Refused(
                _("Your choice costs %(total)s; spend at least %(floor)s.")
                % {"total": _money(total, process), "floor": _money(floor, process)}
            )
        return choices, None
    if kind == Process.BallotKind.CUMULATIVE:
        if points is None or len(points) != n:
            raise Refused(_("Give each chosen project its points."))
        if n < 1:
            raise Refused(_("Give at least one project a point."))
        for p in points:
            if not isinstance(p, int) or p < 1:
                raise Refused(_("Points are whole numbers from 1."))
            if p > process.points_per_project:
                raise Refused(
                    ngettext(
                        "A project may take at most %(n)d point.",
                        "A project may take at most %(n)d points.",
                        process.points_per_project,
                    )
                    % {"n": process.points_per_project}
                )
        if sum(points) > process.points_total:
            raise Refused(
                ngettext(
                    "You have %(n)d point to give.", "You have %(n)d points to give.", process.points_total
                )
                % {"n": process.points_total}
            )
        return choices, list(points)
    # Ranked: a fixed number of distinct projects, best first.
    length = min(process.ranked_length, len(scope_projects))
    if n != length:
        raise Refused(
            ngettext("Rank exactly %(n)d project.", "Rank exactly %(n)d projects.", length) % {"n": length}
        )
    return choices, None


@transaction.atomic
def ballot_cast(
    *,
    process: Process,
    credentials: Credentials,
    district,
    choices: list[str],
    points: list[int] | None = None,
) -> Cast:
    """district: the scope voted on (None: the city-wide budget). Preconditions: none; everything is
    checked here, on the server, at the moment of casting."""
    process = Process.objects.get(pk=process.pk)  # fresh phases and flags
    closed = voting_window_error(process)
    if closed:
        raise Refused(closed)
    budget = Budget.objects.filter(process=process, district=district).first()
    if budget is None:
        raise Refused(_("This process has no vote for that area."))
    voter = eligibility.verify(process, credentials)
    if district is not None and voter.district_id != district.pk:
        raise Refused(
            _("You are not registered as a resident of %(district)s.") % {"district": district.label}
        )
    if process.min_age:
        if voter.birth_date is not None:
            today = clock.today(ZoneInfo(process.municipality.timezone))
            if eligibility.age_on(voter.birth_date, today) < process.min_age:
                raise Refused(_("Residents from the age of %(age)d may vote.") % {"age": process.min_age})
        elif not voter.age_attested:
            raise Refused(_("Your date of birth is needed to check the age limit, and it was not given."))
    choices, points = validate_choices(
        process=process, district=district, budget=budget, choices=choices, points=points
    )

    link = keys.roll_link(process, voter.identity, scope_key(district))
    entry, _created = VoterRoll.objects.get_or_create(link=link, defaults={"process": process})
    # The lock serialises every submission of this voter: the last one to take it is the one counted.
    entry = VoterRoll.objects.select_for_update().get(pk=entry.pk)
    previous = entry.ballot_id
    at = clock.now()
    ballot = Ballot.objects.create(
        process=process,
        district=district,
        choices=choices,
        points=points,
        cast_hour=at.replace(minute=0, second=0, microsecond=0),
    )
    code = new_receipt()
    Receipt.objects.create(process=process, receipt_hash=keys.receipt_hash(code), ballot=ballot)
    entry.ballot = ballot
    entry.save(update_fields=["ballot"])
    if previous is not None:
        Ballot.objects.filter(pk=previous).delete()  # its receipt stays, marked as replaced
    for hook in voter.on_success:
        hook()
    if not process.frozen:
        Process.objects.filter(pk=process.pk).update(frozen=True)
    return Cast(receipt=code, replaced=previous is not None)
