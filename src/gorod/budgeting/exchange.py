"""Pabulib import and export of whole processes (`gorod pb_import`, `gorod pb_export`, the results page's
download), on top of budgeting.pabulib (the format). Tallies read the database (budgeting.ballot_box).

Export never links a ballot to a person: ballots cast in Gorod get voter ids 1, 2, 3 … in the order of
their receipt hashes (not of casting); only ballots imported from a Pabulib file keep that file's voter
ids and columns, which were public already."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gorod.budgeting import ballot_kinds, pabulib
from gorod.budgeting.ballot_box import counted_projects, scope_filter
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import TALLY_RULES, Ballot, Budget, Phase, Process, Project
from gorod.budgeting.phases import PhaseKind
from gorod.core import clock


def scope_file(process: Process, district=None) -> pabulib.PabulibFile:
    """The projects on the ballot of one scope and its ballots, as a Pabulib file."""
    f, votes = scope_file_streaming(process, district, streaming=False)
    f.votes = list(votes)
    return f


# What an export reads of a ballot: never a relation to a person.
_BALLOT_COLUMNS = ("pk", "receipt__receipt_hash", "choices", "points", "voter_label", "extra")
CHUNK = 2000


class _Rows:
    """Ballot rows read again, through a chunked cursor, on every pass: a city-wide vote can have
    hundreds of thousands of ballots, and open data writes them without holding them (analytics)."""

    def __init__(self, qs):
        self._qs = qs

    def __iter__(self):
        return self._qs.iterator(chunk_size=CHUNK)


class _Votes:
    """The file's votes, made from ballot rows as they are read."""

    def __init__(self, rows: Iterable[tuple], imported: bool):
        self._rows = rows
        self._imported = imported

    def __iter__(self) -> Iterator[pabulib.Vote]:
        imported = self._imported
        for number, (_pk, _hash, choices, points, label, extra) in enumerate(self._rows, start=1):
            yield pabulib.Vote(
                voter_id=label if imported and label else str(number),
                vote=[str(c) for c in choices],
                points=[int(x) for x in points] if points is not None else None,
                fields={k: str(v) for k, v in (extra or {}).items()} if imported else {},
            )


def scope_file_streaming(
    process: Process, district=None, *, streaming: bool = True
) -> tuple[pabulib.PabulibFile, Iterable[pabulib.Vote]]:
    """scope_file's file with no votes, and its votes as an iterable that reads the ballots afresh on
    every pass (pabulib.dump makes two), so memory does not grow with the number of ballots. Without
    `streaming` the rows are read once into memory (and sorted there, as scope_file always did)."""
    budget = Budget.objects.filter(process=process).filter(scope_filter(district)).first()
    if budget is None:
        raise Refused(_("This process has no budget for that area."))
    source = process.pabulib_meta or {}
    kind = ballot_kinds.of(process)
    projects_list = list(counted_projects(process, district))
    scope = Ballot.objects.filter(process=process).filter(scope_filter(district))
    ballots = scope.values_list(*_BALLOT_COLUMNS)
    imported = bool(source.get("meta"))
    rows: Iterable[tuple]
    if streaming:
        # The order of the list below, in SQL: receipt hashes (hex) first, ballots without one after them.
        order = ("pk",) if imported else (F("receipt__receipt_hash").asc(nulls_last=True), "pk")
        rows = _Rows(ballots.order_by(*order))
    else:
        rows = list(ballots.order_by("pk"))
        if not imported:
            rows.sort(key=lambda r: r[1] or f"~{r[0]:012d}")
    counts: dict[str, int] = {}
    scores: dict[str, int] = {}
    n_votes = 0
    for _pk, _hash, choices, points, _label, _extra in rows:
        n_votes += 1
        for position, code in enumerate(choices):
            counts[code] = counts.get(code, 0) + 1
            if points is not None:
                scores[code] = scores.get(code, 0) + int(points[position])
    vote_type = source.get("meta", {}).get("vote_type") or kind.pabulib_type
    meta = _meta(process, budget, len(projects_list), n_votes, vote_type)
    projects: dict[str, pabulib.Project] = {}
    # An imported file without a name column gets none back (its titles were made from the ids).
    with_names = not imported or "name" in (source.get("project_columns") or [])
    for p in projects_list:
        fields = {k: str(v) for k, v in (p.pabulib_fields or {}).items()}
        if not imported:
            fields["votes"] = str(counts.get(p.code, 0))
            if kind.points:
                fields["score"] = str(scores.get(p.code, 0))
            if p.district is not None:
                fields["district"] = p.district.slug
        projects[p.code] = pabulib.Project(
            project_id=p.code, cost=_cost(p.cost), name=p.title if with_names else "", fields=fields
        )
    project_columns = list(source.get("project_columns") or [])
    if not project_columns:
        project_columns = ["project_id", "cost", "votes"]
        if kind.points:
            project_columns.append("score")
        project_columns.append("name")
    vote_columns = list(source.get("vote_columns") or [])
    if not vote_columns:
        vote_columns = ["voter_id", "vote"] + (["points"] if vote_type in pabulib.POINT_TYPES else [])
    f = pabulib.PabulibFile(meta, projects, [], project_columns, vote_columns)
    return f, _Votes(rows, imported)


def _cost(value: Decimal) -> Decimal | int:
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else d.normalize()


def _meta(process: Process, budget: Budget, n_projects: int, n_votes: int, vote_type: str) -> dict[str, str]:
    source = dict((process.pabulib_meta or {}).get("meta") or {})
    if source:
        # An imported file: its META as it was, with the counts of what is exported now.
        if "num_projects" in source:
            source["num_projects"] = str(n_projects)
        if "num_votes" in source:
            source["num_votes"] = str(n_votes)
        if pabulib.parse_number(source.get("budget", "0"), what="budget") != budget.amount:
            source["budget"] = pabulib.number_text(budget.amount)
        return source
    tz = ZoneInfo(process.municipality.timezone)
    ballot = next((p for p in process.phase_list() if p.kind == PhaseKind.BALLOT), None)
    meta = {
        "description": process.title,
        "unit": process.municipality.name,
        "instance": process.slug,
        "num_projects": str(n_projects),
        "num_votes": str(n_votes),
        "budget": pabulib.number_text(budget.amount),
        "vote_type": vote_type,
        "rule": process.tally_rule,
        "currency": process.currency,
    }
    if budget.district is not None:
        meta["subunit"] = budget.district.name
        meta["district"] = budget.district.slug
    if ballot is not None:
        meta["date_begin"] = ballot.starts.astimezone(tz).strftime("%d.%m.%Y")
        meta["date_end"] = ballot.ends.astimezone(tz).strftime("%d.%m.%Y")
    return meta | ballot_kinds.of(process).pabulib_meta(process, budget)


def export_text(process: Process, district=None) -> str:
    return pabulib.dumps(scope_file(process, district))


# --- import ----------------------------------------------------------------------------------------

# Pabulib's names for the rules, and Gorod's own (what an export writes), so a process comes back with
# the rule it was counted by.
RULE_FROM_PABULIB = {
    "equalshares": "mes",
    "equalshares/add1": "mes-add1",
    **{rule: rule for rule, _label in TALLY_RULES},
}
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%Y %H:%M", "%Y")


def _date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _unique_slug(municipality, base: str) -> str:
    base = (slugify(base) or "pabulib")[:70].strip("-") or "pabulib"
    slug, n = base, 1
    while Process.objects.filter(municipality=municipality, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def import_file(*, municipality, data: pabulib.PabulibFile, name: str = "", slug: str = "") -> Process:
    """Create a closed process (vote over, rules frozen) with the file's projects and ballots."""
    meta = data.meta
    kind = ballot_kinds.from_pabulib(meta)
    title = " — ".join(
        v for v in (meta.get("description", ""), meta.get("subunit", ""), meta.get("instance", "")) if v
    )
    title = (title or name or "Pabulib")[:300]
    process = Process(
        municipality=municipality,
        slug=slug or _unique_slug(municipality, name or title),
        title=title,
        title_en=title,
        description=meta.get("comment", "")[:5000],
        currency=(meta.get("currency") or "")[:10],
        ballot_kind=kind.value,
        tally_rule=RULE_FROM_PABULIB.get(meta.get("rule", "").strip().lower(), "greedy"),
        min_age=0,
        frozen=True,
        allow_census=False,
        pabulib_meta={
            "meta": dict(meta),
            "project_columns": data.project_columns,
            "vote_columns": data.vote_columns,
        },
    )
    if Process.objects.filter(municipality=municipality, slug=process.slug).exists():
        raise Refused(_("A process with this short name already exists."))
    for setting, value in kind.settings_from_pabulib(meta, data.votes).items():
        setattr(process, setting, value)
    process.save()
    Budget.objects.create(process=process, district=None, amount=Decimal(str(data.budget)))
    begin, end = _date(meta.get("date_begin", "")), _date(meta.get("date_end", ""))
    tz = ZoneInfo(municipality.timezone)
    if begin is None or end is None or end < begin:
        end = clock.today(tz) - dt.timedelta(days=1)
        begin = end
    starts = dt.datetime.combine(begin, dt.time(0), tz)
    ends = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tz)
    Phase.objects.create(process=process, kind=PhaseKind.BALLOT, starts=starts, ends=ends)
    Phase.objects.create(
        process=process, kind=PhaseKind.RESULTS, starts=ends, ends=ends + dt.timedelta(days=3650)
    )
    Project.objects.bulk_create(
        [
            Project(
                process=process,
                code=p.project_id,
                title=(p.name or p.project_id)[:500],
                cost=Decimal(str(p.cost)),
                status=Project.Status.ON_BALLOT,
                pabulib_fields=dict(p.fields),
                order=position,
            )
            for position, p in enumerate(data.projects.values(), start=1)
        ]
    )
    Ballot.objects.bulk_create(
        [
            Ballot(
                process=process,
                district=None,
                choices=list(v.vote),
                points=list(v.points) if v.points is not None else None,
                voter_label=v.voter_id[:64],
                extra=dict(v.fields),
            )
            for v in data.votes
        ],
        batch_size=2000,
    )
    return process


def import_path(*, municipality, path: Path) -> Process:
    try:
        data = pabulib.load(path)
    except pabulib.PabulibError as exc:
        raise Refused(_("Not a valid Pabulib file: %(error)s") % {"error": exc}) from exc
    name = re.sub(r"\.pb$", "", path.name)
    return import_file(municipality=municipality, data=data, name=name)
