"""Census list: the city uploads a CSV of resident identifiers with their district (and optionally the
date of birth); only a keyed hash of each identifier is kept (keys.census_hash, salted per process)."""

from __future__ import annotations

import csv
import io

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gorod.budgeting import keys
from gorod.budgeting.eligibility import Credentials, Voter, parse_date
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import CensusEntry, Process

MAX_ROWS = 2_000_000


def verify(process: Process, credentials: Credentials) -> Voter | None:
    candidates = []
    if credentials.identifier.strip():
        candidates.append(credentials.identifier)
    user = credentials.user
    # A signed-in account whose address was proven may be on the list by that address.
    if (
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "email_verified", False)
    ):
        candidates.append(user.email)
    if not candidates:
        return None
    for identifier in candidates:
        digest = keys.census_hash(process, identifier)
        entry = CensusEntry.objects.filter(process=process, identifier_hash=digest).first()
        if entry is not None:
            return Voter(
                identity=f"census:{digest}",
                method="census",
                district_id=entry.district_id,
                birth_date=parse_date(entry.birth_date),
            )
    if credentials.identifier.strip():
        raise Refused(
            _("This resident number is not on the census list of this process."), field="identifier"
        )
    return None


@transaction.atomic
def census_upload(*, process: Process, data: str, replace: bool = False) -> int:
    """Load `identifier,district[,birth_date]` rows (a header row is skipped when its first cell is
    `identifier`). District is a district slug, or empty for residents known only to live in the city.
    All rows are checked before any is saved: one bad row refuses the whole file."""
    districts = {d.slug: d for d in process.municipality.districts.all()}
    rows: list[CensusEntry] = []
    seen: set[str] = set()
    reader = csv.reader(io.StringIO(data.lstrip("\ufeff")))
    for number, row in enumerate(reader, start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if number == 1 and row[0].strip().lower() == "identifier":
            continue
        if len(rows) >= MAX_ROWS:
            raise Refused(_("The census file has more than %(n)d rows.") % {"n": MAX_ROWS})
        identifier = row[0].strip()
        slug = row[1].strip() if len(row) > 1 else ""
        birth = row[2].strip() if len(row) > 2 else ""
        if not identifier:
            raise Refused(_("Row %(n)d has no identifier.") % {"n": number})
        if slug and slug not in districts:
            raise Refused(_("Row %(n)d names an unknown district.") % {"n": number})
        if birth and parse_date(birth) is None:
            raise Refused(_("Row %(n)d has a date of birth that is not YYYY-MM-DD.") % {"n": number})
        digest = keys.census_hash(process, identifier)
        if digest in seen:
            raise Refused(_("Row %(n)d repeats an identifier.") % {"n": number})
        seen.add(digest)
        rows.append(
            CensusEntry(
                process=process, identifier_hash=digest, district=districts.get(slug), birth_date=birth
            )
        )
    if replace:
        CensusEntry.objects.filter(process=process).delete()
    try:
        with transaction.atomic():
            CensusEntry.objects.bulk_create(rows, batch_size=5000)
    except IntegrityError as exc:
        raise Refused(_("Some identifiers are already on the census list.")) from exc
    return len(rows)
