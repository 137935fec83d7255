"""Census list: the city uploads a CSV of resident identifiers with their district and the secrets that go
with them — the date of birth and/or a document number's last 4 digits, as the process's census_secret
asks. Only keyed hashes are kept (keys.census_hash and keys.census_secret_hash, salted per process).

A resident votes with the identifier and the secret(s): the identifier alone is printed on letters and
lists and may be known to others, so it never votes by itself. Every failure is the same NotConfirmed,
after the same work: one query and the same hashes whether the identifier is listed or not."""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import io

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gorod.budgeting import keys
from gorod.budgeting.eligibility import Credentials, NotConfirmed, Voter, parse_date
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import CensusEntry, Process

MAX_ROWS = 2_000_000
DOCUMENT_DIGITS = 4
SECRETS: dict[str, tuple[str, ...]] = {
    Process.CensusSecret.BIRTH_DATE: ("birth",),
    Process.CensusSecret.DOCUMENT: ("document",),
    Process.CensusSecret.BOTH: ("birth", "document"),
}


def secrets_of(process: Process) -> tuple[str, ...]:
    return SECRETS.get(process.census_secret, ("birth",))


def document_digits(value: str) -> str:
    """The last DOCUMENT_DIGITS digits of a document number, however it is written ('' if fewer): the
    city may list whole numbers, the resident types the end of theirs."""
    digits = [ch for ch in value or "" if ch in "0123456789"]
    return "".join(digits[-DOCUMENT_DIGITS:]) if len(digits) >= DOCUMENT_DIGITS else ""


def typed_birth_date(value: str) -> str:
    """A date of birth from the ballot as YYYY-MM-DD ('' if it is not a date): a date field sends
    YYYY-MM-DD, a person typing by hand writes DD.MM.YYYY."""
    value = (value or "").strip()
    try:
        return dt.datetime.strptime(value, "%d.%m.%Y").date().isoformat()
    except ValueError:
        day = parse_date(value)
        return day.isoformat() if day else ""


def _ask_for(kinds: tuple[str, ...]) -> Refused:
    if kinds == ("birth",):
        return Refused(_("Enter your date of birth as well as your resident number."), field="birth_date")
    if kinds == ("document",):
        return Refused(
            _("Enter the last 4 digits of your document number as well as your resident number."),
            field="document",
        )
    return Refused(
        _(
            "Enter your date of birth and the last 4 digits of your document number as well as your "
            "resident number."
        )
    )


def verify(process: Process, credentials: Credentials, district) -> Voter | None:
    typed = {
        "birth": typed_birth_date(credentials.birth_date),
        "document": document_digits(credentials.document),
    }
    identifiers = []
    if credentials.identifier.strip():
        identifiers.append(credentials.identifier)
    user = credentials.user
    # A signed-in account whose address was proven may be on the list by that address; it still gives
    # the secret, as anyone else does.
    if (
        (identifiers or any(typed.values()))
        and user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "email_verified", False)
    ):
        identifiers.append(user.email)
    if not identifiers:
        return None
    kinds = secrets_of(process)
    if not all(typed[kind] for kind in kinds):
        raise _ask_for(kinds)
    digests = [keys.census_hash(process, identifier) for identifier in identifiers]
    entries = {
        e.identifier_hash: e
        for e in CensusEntry.objects.filter(process=process, identifier_hash__in=digests).only(
            "identifier_hash", "district_id", "birth_hash", "document_hash"
        )
    }
    for digest in digests:
        entry = entries.get(digest)
        # Every secret is compared, listed or not, so a miss costs what a match costs.
        same = [
            hmac.compare_digest(
                keys.census_secret_hash(process, digest, kind, typed[kind]),
                getattr(entry, f"{kind}_hash", "") if entry is not None else "",
            )
            for kind in kinds
        ]
        if entry is not None and all(same) and (district is None or entry.district_id == district.pk):
            return Voter(
                identity=f"census:{digest}",
                method="census",
                district_id=entry.district_id,
                birth_date=parse_date(typed["birth"]) if "birth" in kinds else None,
                # A list checked by document only was drawn up for the age limit.
                age_attested="birth" not in kinds,
            )
    raise NotConfirmed()


@transaction.atomic
def census_upload(*, process: Process, data: str, replace: bool = False) -> int:
    """Load `identifier,district,birth_date,document` rows (a header row is skipped when its first cell
    is `identifier`). District is a district slug, or empty for residents known only to live in the
    city; birth_date is YYYY-MM-DD; document is a document number (only its last 4 digits are used).
    The secrets the process asks for (census_secret) are required in every row; one it does not ask for
    is kept when given, so that the setting may still change before the vote.
    All rows are checked before any is saved: one bad row refuses the whole file."""
    districts = {d.slug: d for d in process.municipality.districts.all()}
    kinds = secrets_of(process)
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
        identifier, slug, birth, document = [*row, "", "", "", ""][:4]
        identifier, slug, birth, document = identifier.strip(), slug.strip(), birth.strip(), document.strip()
        if not identifier:
            raise Refused(_("Row %(n)d has no identifier.") % {"n": number})
        if slug and slug not in districts:
            raise Refused(_("Row %(n)d names an unknown district.") % {"n": number})
        if birth and parse_date(birth) is None:
            raise Refused(_("Row %(n)d has a date of birth that is not YYYY-MM-DD.") % {"n": number})
        if document and not document_digits(document):
            raise Refused(_("Row %(n)d has a document number of fewer than 4 digits.") % {"n": number})
        if "birth" in kinds and not birth:
            raise Refused(_("Row %(n)d has no date of birth.") % {"n": number})
        if "document" in kinds and not document:
            raise Refused(_("Row %(n)d has no document number.") % {"n": number})
        digest = keys.census_hash(process, identifier)
        if digest in seen:
            raise Refused(_("Row %(n)d repeats an identifier.") % {"n": number})
        seen.add(digest)
        rows.append(
            CensusEntry(
                process=process,
                identifier_hash=digest,
                district=districts.get(slug),
                birth_hash=_secret_hash(process, digest, "birth", typed_birth_date(birth)),
                document_hash=_secret_hash(process, digest, "document", document_digits(document)),
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


def _secret_hash(process: Process, digest: str, kind: str, value: str) -> str:
    return keys.census_secret_hash(process, digest, kind, value) if value else ""
