"""One-time voting codes for printing and mailing. Only keyed hashes are stored; a batch's plaintext
exists once, in the output of `codes_generate` (the `pb_codes` command prints it for the print shop).

A code is spent by the ballot it casts, in the same transaction (row lock), so two parallel uses of one
code leave one ballot. The account that spent a code (when signed in) may use it again to change that
ballot; anyone else presenting it is refused. Codes are 16 symbols of 31 (about 79 bits): with failures
throttled per client (eligibility.FAILED_CLIENT), guessing one is hopeless."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from gorod.budgeting import keys
from gorod.budgeting.eligibility import Credentials, NotConfirmed, Voter
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Process, VotingCode
from gorod.core import clock

# No 0/O, 1/I/L: codes are typed from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS, GROUP_LEN = 4, 4  # 16 symbols of 31: about 79 bits
MAX_BATCH = 1_000_000


def new_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LEN))
    return "-".join(symbols[i : i + GROUP_LEN] for i in range(0, len(symbols), GROUP_LEN))


def verify(process: Process, credentials: Credentials, district) -> Voter | None:
    if not credentials.code.strip():
        return None
    digest = keys.code_hash(process, credentials.code)
    code = VotingCode.objects.select_for_update().filter(process=process, code_hash=digest).first()
    user = credentials.user
    account = (
        keys.account_hash(process, user.pk)
        if user is not None and getattr(user, "is_authenticated", False)
        else ""
    )
    # Unknown, spent by someone else, or for another district: one answer, so that a guess learns nothing.
    if (
        code is None
        or (code.used is not None and not (account and code.used_by == account))
        or (district is not None and code.district_id != district.pk)
    ):
        raise NotConfirmed()

    def spend() -> None:
        if code.used is None:
            code.used = clock.now().replace(minute=0, second=0, microsecond=0)
            code.used_by = account
            code.save(update_fields=["used", "used_by"])

    return Voter(identity=f"code:{digest}", method="codes", district_id=code.district_id, on_success=[spend])


@transaction.atomic
def codes_generate(*, process: Process, count: int, district=None) -> list[str]:
    """Create `count` codes for residents of `district` (None: the city) and return their plaintext,
    which is not stored anywhere."""
    if not 1 <= count <= MAX_BATCH:
        raise Refused(_("A batch holds from 1 to %(n)d codes.") % {"n": MAX_BATCH})
    if district is not None and district.municipality_id != process.municipality_id:
        raise Refused(_("This district is not in the process's city."))
    last = (
        VotingCode.objects.filter(process=process).order_by("-batch").values_list("batch", flat=True).first()
    )
    batch = (last or 0) + 1
    codes = [new_code() for _ in range(count)]
    VotingCode.objects.bulk_create(
        [
            VotingCode(process=process, code_hash=keys.code_hash(process, c), district=district, batch=batch)
            for c in codes
        ],
        batch_size=5000,
    )
    return codes
