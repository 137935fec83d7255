"""Read and write the Pabulib format (https://pabulib.org/format) without losing anything.

A file has three sections, each a `;`-separated table under a header row::

    META            key;value rows (description, budget, vote_type, rule, …)
    PROJECTS        project_id;cost;… (any further columns: name, votes, score, selected, category, …)
    VOTES           voter_id;vote;… (vote: comma-separated project ids, ranked best first for ordinal
                    ballots; points: comma-separated integers for cumulative and scoring ballots)

`parse(text)` returns a `PabulibFile` that keeps the section order of rows and columns, every extra
column as text, and costs as written ("400000.0" stays a `Decimal` that prints the same), so
`dumps(parse(text))` parses back to an equal `PabulibFile`. Bad input raises `PabulibError` naming
the line; nothing here touches the database, so callers turn it into a form error or a command error.

Fields are read with the `csv` module (as pabutools reads them), so a value that contains `;` is written
quoted and read back unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

__all__ = [
    "VOTE_TYPES",
    "PabulibError",
    "PabulibFile",
    "Project",
    "Vote",
    "dumps",
    "load",
    "number_text",
    "parse",
]

# pabutools reads these; "choose-1" is approval with one project, "scoring" carries points like cumulative.
VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
POINT_TYPES = ("cumulative", "scoring")
SECTIONS = ("meta", "projects", "votes")


class PabulibError(ValueError):
    """The text is not a valid Pabulib file; `line` is the 1-based line number (None: the whole file)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Project:
    project_id: str
    cost: Decimal | int
    name: str = ""
    # Every other column of the PROJECTS table, by header name, as written.
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Vote:
    voter_id: str
    vote: list[str]
    points: list[int] | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class PabulibFile:
    meta: dict[str, str]
    projects: dict[str, Project]
    votes: list[Vote]
    project_columns: list[str]
    vote_columns: list[str]

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval")

    @property
    def budget(self) -> Decimal | int:
        return parse_number(self.meta.get("budget", ""), what="budget")


def parse_number(text: str, *, what: str, line: int | None = None) -> Decimal | int:
    """A non-negative amount: int when written as an integer, else a Decimal that keeps its digits.
    A decimal comma ("1,5") is accepted, as pabutools accepts it."""
    raw = text.strip()
    if raw.isdigit():
        return int(raw)
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise PabulibError(f"{what} {raw!r} is not a number", line) from None
    if not value.is_finite() or value < 0:
        raise PabulibError(f"{what} {raw!r} must be a non-negative number", line)
    return value


def number_text(value: Decimal | int) -> str:
    """An amount as Pabulib writes it: no decimals when it is whole ("400000"), else as few as it needs."""
    d = Decimal(value)
    return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")


def load(path: str | Path) -> PabulibFile:
    """Parse a file; `utf-8-sig` so a byte-order mark is ignored. OSError is left to the caller."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return parse(handle.read())


def parse(text: str) -> PabulibFile:
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    votes: list[Vote] = []
    project_columns: list[str] = []
    vote_columns: list[str] = []
    section = ""
    header: list[str] | None = None
    seen: list[str] = []
    voter_ids: set[str] = set()
    for number, row in enumerate(csv.reader(lines, delimiter=";"), start=1):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        first = row[0].strip().lower()
        if len(row) == 1 and first in SECTIONS:
            if first in seen:
                raise PabulibError(f"section {first.upper()} appears twice", number)
            expected = SECTIONS[len(seen)]
            if first != expected:
                raise PabulibError(
                    f"section {first.upper()} found where {expected.upper()} was expected", number
                )
            seen.append(first)
            section, header = first, None
            continue
        if not section:
            raise PabulibError("the file must start with META", number)
        if header is None:
            header = [cell.strip() for cell in row]
            _check_header(section, header, number)
            if section == "projects":
                project_columns = header
            elif section == "votes":
                vote_columns = header
            continue
        if len(row) != len(header):
            raise PabulibError(f"{len(row)} fields where the header has {len(header)}", number)
        if section == "meta":
            key = row[0].strip()
            if key in meta:
                raise PabulibError(f"META key {key!r} appears twice", number)
            meta[key] = row[1].strip()
        elif section == "projects":
            project = _project(header, row, number)
            if project.project_id in projects:
                raise PabulibError(f"project {project.project_id!r} appears twice", number)
            projects[project.project_id] = project
        else:
            if "vote_type" not in meta:
                raise PabulibError("META has no vote_type", number)
            vote = _vote(header, row, number, meta["vote_type"], projects)
            if vote.voter_id in voter_ids:
                raise PabulibError(f"voter {vote.voter_id!r} appears twice", number)
            voter_ids.add(vote.voter_id)
            votes.append(vote)
    if seen != list(SECTIONS):
        missing = [s.upper() for s in SECTIONS if s not in seen]
        raise PabulibError(f"missing section(s): {', '.join(missing)}")
    if header is None:
        raise PabulibError("the VOTES section has no header row")
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibError(f"META has no {key}")
    if meta["vote_type"] not in VOTE_TYPES:
        raise PabulibError(f"vote_type {meta['vote_type']!r} is not one of {', '.join(VOTE_TYPES)}")
    parse_number(meta["budget"], what="budget")
    return PabulibFile(meta, projects, votes, project_columns, vote_columns)


def _check_header(section: str, header: list[str], line: int) -> None:
    if len(set(header)) != len(header):
        raise PabulibError("a column name appears twice in the header", line)
    required = {"meta": ("key", "value"), "projects": ("project_id", "cost"), "votes": ("voter_id", "vote")}
    names = required[section]
    if section == "meta":
        if header != list(names):
            raise PabulibError("the META header must be key;value", line)
    elif not set(names) <= set(header):
        raise PabulibError(f"the {section.upper()} header needs the columns {', '.join(names)}", line)


def _project(header: list[str], row: list[str], line: int) -> Project:
    values = dict(zip(header, row, strict=True))
    project_id = values.pop("project_id").strip()
    if not project_id:
        raise PabulibError("empty project_id", line)
    if "," in project_id:
        raise PabulibError(f"project_id {project_id!r} contains a comma", line)
    cost = parse_number(values.pop("cost"), what="cost", line=line)
    name = values.pop("name", "")
    return Project(project_id=project_id, cost=cost, name=name, fields=values)


def _vote(header: list[str], row: list[str], line: int, vote_type: str, projects: dict[str, Project]) -> Vote:
    values = dict(zip(header, row, strict=True))
    voter_id = values.pop("voter_id").strip()
    if not voter_id:
        raise PabulibError("empty voter_id", line)
    raw_vote = values.pop("vote").strip()
    vote = [p.strip() for p in raw_vote.split(",")] if raw_vote else []
    for project_id in vote:
        if project_id not in projects:
            raise PabulibError(f"vote names unknown project {project_id!r}", line)
    if len(set(vote)) != len(vote):
        raise PabulibError("a project appears twice in one vote", line)
    points: list[int] | None = None
    if "points" in values:
        raw_points = values.pop("points").strip()
        parts = [p.strip() for p in raw_points.split(",")] if raw_points else []
        try:
            points = [int(p) for p in parts]
        except ValueError:
            raise PabulibError(f"points {raw_points!r} are not whole numbers", line) from None
        if len(points) != len(vote):
            raise PabulibError(f"{len(points)} points for {len(vote)} projects", line)
    if vote_type in POINT_TYPES and points is None:
        raise PabulibError(f"{vote_type} votes need a points column", line)
    return Vote(voter_id=voter_id, vote=vote, points=points, fields=values)


def dumps(f: PabulibFile) -> str:
    """The file as Pabulib text: columns in the order of `project_columns`/`vote_columns` (the columns
    every row needs are added when missing), lines ending in "\\n"."""
    out = io.StringIO()
    dump(f, out)
    return out.getvalue()


def dump(f: PabulibFile, out: IO[str], votes: Iterable[Vote] | None = None) -> int:
    """dumps, written to `out` as it goes; `votes` (default f.votes) is iterated twice, so it may be an
    iterable that reads the ballots afresh each time (exchange.scope_file_streaming). Returns the number
    of votes written."""
    votes = f.votes if votes is None else votes
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in f.meta.items():
        writer.writerow([key, value])
    project_columns = _columns(f.project_columns, ["project_id", "cost"])
    if any(p.name for p in f.projects.values()) and "name" not in project_columns:
        project_columns.append("name")
    for project in f.projects.values():
        project_columns += [k for k in project.fields if k not in project_columns]
    writer.writerow(["PROJECTS"])
    writer.writerow(project_columns)
    for project in f.projects.values():
        base = {"project_id": project.project_id, "cost": str(project.cost), "name": project.name}
        writer.writerow([base[c] if c in base else project.fields.get(c, "") for c in project_columns])
    vote_columns = _columns(f.vote_columns, ["voter_id", "vote"])
    with_points = False
    for vote in votes:
        with_points = with_points or vote.points is not None
        vote_columns += [k for k in vote.fields if k not in vote_columns]
    if with_points and "points" not in vote_columns:
        vote_columns.insert(vote_columns.index("vote") + 1, "points")
    writer.writerow(["VOTES"])
    writer.writerow(vote_columns)
    n = 0
    for vote in votes:
        base = {
            "voter_id": vote.voter_id,
            "vote": ",".join(vote.vote),
            "points": ",".join(str(p) for p in vote.points) if vote.points is not None else "",
        }
        writer.writerow([base[c] if c in base else vote.fields.get(c, "") for c in vote_columns])
        n += 1
    return n


def _columns(declared: list[str], required: list[str]) -> list[str]:
    columns = list(declared) or list(required)
    for position, name in enumerate(required):
        if name not in columns:
            columns.insert(position, name)
    return columns
