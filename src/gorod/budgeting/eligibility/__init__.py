"""Who may vote: plug-ins that turn what a person presents (a census identifier, a mailed code, claims
from the identity provider) into a Voter, checked on the server when the ballot is cast.

Each plug-in is a function `verify(process, credentials) -> Voter | None`: None when the person presented
nothing for that method, a Voter when it confirms them, Refused when what they presented is wrong. The
process enables methods with its allow_* flags; the first that answers decides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gorod.budgeting.errors import Refused


@dataclass
class Credentials:
    user: Any = None  # the signed-in account, or None / AnonymousUser
    identifier: str = ""  # census identifier typed on the ballot
    code: str = ""  # a mailed voting code
    oidc: dict | None = None  # claims kept in the session after the identity provider's sign-in


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


def verify(process, credentials: Credentials) -> Voter:
    from gorod.budgeting.eligibility import census, codes, oidc

    methods = []
    if process.allow_codes:
        methods.append(codes.verify)
    if process.allow_oidc:
        methods.append(oidc.verify)
    if process.allow_census:
        methods.append(census.verify)
    for method in methods:
        voter = method(process, credentials)
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
