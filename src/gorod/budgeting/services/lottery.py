"""The commission lottery: set up, candidates, commitment to a seed, the draw (budgeting.lottery)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gorod.budgeting import lottery as algorithm
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Candidate, Lottery, Process
from gorod.budgeting.phases import Action
from gorod.core import clock


def _manage(actor, process: Process) -> None:
    if actor is None or not actor.has_perm("budgeting.manage", process):
        raise Refused(_("Only city administrators may run the lottery."))


@transaction.atomic
def lottery_setup(*, process: Process, actor, seats: int, reserves: int) -> Lottery:
    _manage(actor, process)
    if seats < 1 or reserves < 0:
        raise Refused(_("A commission has at least one member."))
    lottery, _created = Lottery.objects.select_for_update().get_or_create(
        process=process, defaults={"seats": seats, "reserves": reserves}
    )
    if lottery.committed is not None:
        raise Refused(_("The lottery is already committed to its seed; it cannot change."))
    lottery.seats, lottery.reserves = seats, reserves
    lottery.save()
    return lottery


@transaction.atomic
def candidate_add(*, lottery: Lottery, actor, public_name: str, user=None) -> Candidate:
    _manage(actor, lottery.process)
    lottery = Lottery.objects.select_for_update().get(pk=lottery.pk)
    if lottery.committed is not None:
        raise Refused(_("The candidate list is closed."))
    public_name = (public_name or "").strip()
    if not public_name:
        raise Refused(_("Give the name to publish."), field="public_name")
    ticket = f"{lottery.candidates.count() + 1:04d}"
    try:
        with transaction.atomic():
            return Candidate.objects.create(
                lottery=lottery, ticket=ticket, public_name=public_name[:200], user=user
            )
    except IntegrityError as exc:
        raise Refused(_("This candidate is already registered.")) from exc


@transaction.atomic
def lottery_commit(*, lottery: Lottery, actor) -> Lottery:
    """Close the candidate list and publish SHA-256 of a fresh secret seed and of the list."""
    _manage(actor, lottery.process)
    lottery = Lottery.objects.select_for_update().get(pk=lottery.pk)
    if lottery.committed is not None:
        raise Refused(_("The lottery is already committed."))
    tickets = list(lottery.candidates.values_list("ticket", flat=True))
    if len(tickets) < lottery.seats:
        raise Refused(_("There are fewer candidates than seats."))
    seed = algorithm.new_seed()
    lottery.seed_secret = seed
    lottery.commitment = algorithm.commitment(seed)
    lottery.candidates_hash = algorithm.candidates_hash(tickets)
    lottery.committed = clock.now()
    lottery.save()
    return lottery


@transaction.atomic
def lottery_draw(*, lottery: Lottery, actor) -> Lottery:
    """Reveal the seed and draw: only in the lottery phase, only once."""
    _manage(actor, lottery.process)
    if not actor.has_perm(f"budgeting.{Action.DRAW_LOTTERY}", lottery.process):
        raise Refused(_("The lottery is drawn in its own phase."))
    lottery = Lottery.objects.select_for_update().get(pk=lottery.pk)
    if lottery.committed is None:
        raise Refused(_("Commit to a seed before the draw."))
    if lottery.drawn is not None:
        raise Refused(_("The lottery has been drawn already."))
    seed = lottery.seed_secret
    candidates = {c.ticket: c for c in lottery.candidates.all()}
    members, reserves = algorithm.draw(list(candidates), seed, lottery.seats, lottery.reserves)
    order = algorithm.shuffle(list(candidates), seed)
    for position, ticket in enumerate(order, start=1):
        c = candidates[ticket]
        c.position = position
        c.outcome = (
            Candidate.Outcome.MEMBER
            if ticket in members
            else Candidate.Outcome.RESERVE
            if ticket in reserves
            else Candidate.Outcome.NOT_DRAWN
        )
    Candidate.objects.bulk_update(candidates.values(), ["position", "outcome"])
    lottery.seed_revealed = seed
    lottery.seed_secret = ""
    lottery.drawn = clock.now()
    lottery.save()
    return lottery
