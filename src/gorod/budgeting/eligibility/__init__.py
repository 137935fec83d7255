"""Who may vote: plug-ins that turn what a person presents (a census identifier with its secret, a mailed
code, claims from the identity provider) into a Voter, checked on the server when the ballot is cast.

Each plug-in is a function `verify(process, credentials, district) -> Voter | None`: None when the
person presented nothing for that method, a Voter when it confirms them as a resident of `district`
(None: the city-wide ballot), NotConfirmed when what they presented does not. The process enables
methods with its allow_* flags; the first that answers decides.

A census number or a printed code is something a stranger may hold or guess, so every way it can fail
(not on the list, wrong secret, another district, a code already spent) gets one answer, NotConfirmed,
after the same work; and failures are counted per client address and per typed number
(gorod.core.ratelimit scopes FAILED_CLIENT and FAILED_IDENTIFIER), refusing further attempts for a while
once there were too many."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gorod.budgeting import keys
from gorod.budgeting.errors import Refused
from gorod.core import ratelimit

FAILED_CLIENT = "vote-failed-client"
FAILED_IDENTIFIER = "vote-failed-identifier"


@dataclass
class Credentials:
    user: Any = None  # the signed-in account, or None / AnonymousUser
    identifier: str = ""  # census identifier typed on the ballot
    birth_date: str = ""  # the census secrets typed with it
    document: str = ""
    code: str = ""  # a mailed voting code
    oidc: dict | None = None  # claims kept in the session after the identity provider's sign-in
    client: str = ""  # the client's address, for counting failures; empty: not counted


@dataclass
class Voter:
    identity: str  # stable per person and method; only ever fed into keys.roll_link
    method: str
    district_id: int | None
    birth_date: dt.date | None = None
    # True when the list the voter is on was drawn up for the age limit already (census without dates,
    # mailed codes): no date of birth needed.
    age_attested: bool = True
    on_success: list = field(default_factory=list)  # callables run after the ballot is stored


class NotConfirmed(Refused):
    """The one answer to a census number or code that does not let its holder vote here."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "We could not confirm your right to vote with these details. Check them against your "
                "letter, and check that you are voting in your own district."
            )
        )


def verify(process, credentials: Credentials, district) -> Voter:
    """The voter `credentials` confirm for the ballot of `district`. Refused (NotConfirmed for a wrong
    number, secret or code), or RateLimited while there were too many failures."""
    from gorod.budgeting.eligibility import census, codes, oidc

    methods = []
    if process.allow_codes:
        methods.append(codes.verify)
    if process.allow_oidc:
        methods.append(oidc.verify)
    if process.allow_census:
        methods.append(census.verify)
    counters = _failure_counters(process, credentials)
    for scope, key in counters:
        ratelimit.check(scope, key)
    for method in methods:
        try:
            voter = method(process, credentials, district)
        except NotConfirmed:
            _count_failure(counters)
            raise
        if voter is not None:
            return voter
    hints = []
    if process.allow_census:
        hints.append(_("your resident number from the census list"))
    if process.allow_codes:
        hints.append(_("the voting code from your letter"))
    if process.allow_oidc:
        hints.append(_("signing in with the identity provider"))
    if not hints:
        raise Refused(_("This process takes no votes on this site."))
    raise Refused(
        _("We could not confirm that you may vote. Please use: %(ways)s.") % {"ways": "; ".join(hints)}
    )


def _failure_counters(process, credentials: Credentials) -> list[tuple[str, str]]:
    counters = []
    if credentials.client:
        counters.append((FAILED_CLIENT, credentials.client))
    if credentials.identifier.strip():
        # Per number, from any address: spreading guesses over many addresses does not help.
        counters.append((FAILED_IDENTIFIER, keys.census_hash(process, credentials.identifier)))
    return counters


def _count_failure(counters: list[tuple[str, str]]) -> None:
    for scope, key in counters:
        # This attempt is answered as refused; the next ones meet the limit at check().
        with contextlib.suppress(ratelimit.RateLimited):
            ratelimit.hit(scope, key)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def parse_date(value: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
