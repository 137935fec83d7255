"""Casting a ballot: eligibility, residency and age on the server, the kind's limits, then the ballot is
stored or replaces the voter's previous one through the roll link, under a row lock. The roll link is
made from what proved the voter (a census number with its secret, a code, the provider's subject), so
only the same proof replaces a ballot."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from gorod.budgeting import ballot_kinds, eligibility, keys, phases
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


def validate_choices(
    *, process: Process, district, budget: Budget, choices: list[str], points: list[int] | None
) -> tuple[list[str], list[int] | None]:
    """The ballot as it will be stored, or Refused saying what is wrong. Only projects on the ballot of
    this scope may be chosen; the rest is the ballot kind's to check."""
    if len(choices) > MAX_CHOICES:
        raise Refused(_("Your ballot names too many projects."))
    choices = [str(c).strip() for c in choices]
    if len(set(choices)) != len(choices):
        raise Refused(_("A project appears twice on your ballot."))
    on_ballot = {p.code: p for p in Project.objects.filter(process=process, status=Project.Status.ON_BALLOT)}
    scope = district.pk if district else None
    scope_projects = [p for p in on_ballot.values() if p.district_id == scope]
    for code in choices:
        project = on_ballot.get(code)
        if project is None:
            raise Refused(_("Your ballot names a project that is not on the ballot."))
        if project.district_id != scope:
            raise Refused(
                _("«%(title)s» is on the ballot of another district.") % {"title": project.title[:100]}
            )
    chosen = [on_ballot[c] for c in choices]
    draft = ballot_kinds.Draft(process, budget, chosen, scope_projects, points)
    return choices, ballot_kinds.of(process).validate(draft)


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
    checked here, on the server, at the moment of casting. Refused, or core.ratelimit.RateLimited while
    the credentials' client or number has failed too often (eligibility.verify)."""
    process = Process.objects.get(pk=process.pk)  # fresh phases and flags
    closed = voting_window_error(process)
    if closed:
        raise Refused(closed)
    budget = Budget.objects.filter(process=process, district=district).first()
    if budget is None:
        raise Refused(_("This process has no vote for that area."))
    voter = eligibility.verify(process, credentials, district)
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
