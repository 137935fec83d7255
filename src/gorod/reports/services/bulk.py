"""Fast loading of historical reports (the demo city, benchmarks, a migration from an older system).

`reports_load_history` places, routes and dates every report exactly as `create.report_create` does —
district by point-in-polygon, snapped within GOROD_DISTRICT_SNAP_M (city.districts.district_for_report),
department by routing rule (city.selectors.department_for, cached per category and district), H3 cell
(core.geo.cell_of), moderation and executor deadlines (deadlines.compute_deadlines, cached per category
and local day) — and writes its history as
ReportEvent rows: the "submit" event, then one per workflow step, each step checked against
workflow.TRANSITIONS as report_transition would check it. A row that report_create or
report_transition would refuse makes the load stop with ReportInvalid (code "history") naming the row;
with atomic=True (the default) nothing at all is written then.

History is the past: its events are written already dispatched, so no one is mailed about a report
fixed two years ago (the apps that react to events take only undispatched ones, see reports.events).

Speed: rows go in as multi-row INSERT statements (inserts.py), not through the ORM's bulk_create.
"""

from __future__ import annotations

import datetime as dt
import uuid
from array import array
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction

from gorod.city import selectors as city_selectors
from gorod.city.districts import district_for_report
from gorod.city.models import Category, Department, District, Municipality
from gorod.core import clock, crypto, geo
from gorod.reports import photo_store
from gorod.reports.attributes import clean_attributes
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.services.create import MAX_ADDRESS, MAX_DESCRIPTION
from gorod.reports.services.deadlines import Deadlines, compute_deadlines
from gorod.reports.services.errors import ReportInvalid
from gorod.reports.services.inserts import Table
from gorod.reports.workflow import TRANSITIONS, Status, target_of

DEFAULT_BATCH = 5000


@dataclass(frozen=True)
class Step:
    """One workflow action after the report was filed, as report_transition would apply it."""

    action: str
    at: dt.datetime
    public_note: str = ""
    private_note: str = ""
    actor_id: int | None = None
    department_id: int | None = None  # the new department, for "transfer"


@dataclass
class HistoryRow:
    category: Category
    lat: float
    lon: float
    created: dt.datetime
    description: str
    steps: Sequence[Step] = ()
    address: str = ""
    attributes: dict = field(default_factory=dict)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    show_name: bool = False
    anonymous: bool = False
    author_id: int | None = None
    # The report this one duplicates (needed by a "mark_duplicate" step): the 0-based index of an earlier
    # row of the same load, or the id of a report already in the database.
    duplicate_of_row: int | None = None
    duplicate_of_id: int | None = None
    token: uuid.UUID | None = None
    source: str = Report.Source.DEMO


@dataclass
class LoadResult:
    ids: array  # the new reports' ids, in row order
    events: int


@dataclass
class Plan:
    status: Status
    department_id: int | None
    status_reason: str
    closed_at: dt.datetime | None
    updated: dt.datetime
    duplicate: bool


def plan_history(
    steps: Sequence[Step], *, created: dt.datetime, department_id: int | None, department_ids: set[int]
) -> Plan:
    """Walk the steps through workflow.TRANSITIONS from "submitted" and return the report's final state;
    raise ValueError at the first step report_transition would refuse."""
    status, reason, closed_at, last, duplicate = Status.SUBMITTED, "", None, created, False
    for n, step in enumerate(steps, start=1):
        where = f"step {n} ({step.action})"
        transition = TRANSITIONS.get(step.action)
        if transition is None:
            raise ValueError(f"{where}: unknown action")
        if status not in transition.sources:
            raise ValueError(f"{where}: the workflow does not allow it from “{status.value}”")
        if step.at < last:
            raise ValueError(f"{where}: happens before the previous step")
        note = (step.public_note or "").strip()
        if transition.needs_reason and not note:
            raise ValueError(f"{where}: needs a public note saying why")
        if transition.needs_department:
            if step.department_id is None or step.department_id == department_id:
                raise ValueError(f"{where}: needs another department")
            if step.department_id not in department_ids:
                raise ValueError(f"{where}: the department is not one of this city's")
            department_id = step.department_id
        duplicate = duplicate or transition.needs_duplicate_of
        target = target_of(transition, status)
        if transition.needs_reason and target in (Status.REJECTED, Status.DISPUTED, Status.RESOLVED):
            reason = note
        closed_at = step.at if not target.is_open else None
        status, last = target, step.at
    return Plan(status, department_id, reason, closed_at, last, duplicate)


class Routes:
    """department_for, remembered per (category, district): a load asks the same question thousands of
    times. Share one between a generator and the loader to ask it once."""

    def __init__(self, municipality: Municipality):
        self.districts = {d.pk: d for d in District.objects.filter(municipality=municipality)}
        self._cache: dict[tuple[int, int], Department | None] = {}

    def department(self, category: Category, district_id: int) -> Department | None:
        key = (category.pk, district_id)
        if key not in self._cache:
            self._cache[key] = city_selectors.department_for(
                category=category, district=self.districts[district_id]
            )
        return self._cache[key]


# --- the loader ----------------------------------------------------------------------------------------
class _Loader:
    def __init__(self, municipality: Municipality, routes: Routes | None):
        if not connection.features.can_return_rows_from_bulk_insert:
            raise NotImplementedError(
                "reports_load_history needs INSERT … RETURNING (SQLite ≥ 3.35, PostgreSQL)"
            )
        self.muni = municipality
        self.tz = ZoneInfo(municipality.timezone)
        self.now = clock.now()
        self.routes = routes or Routes(municipality)
        self.department_ids = set(
            Department.objects.filter(municipality=municipality).values_list("pk", flat=True)
        )
        self.deadlines: dict[tuple[int, int, dt.date], Deadlines] = {}
        self.attributes: dict[int, list] = {}
        self.ids = array("q")
        self.reports = Table(Report)
        self.events = Table(ReportEvent)
        self.event_row = self.events.shaper(EVENT_KEYS)

    def deadlines_for(self, category: Category, created: dt.datetime) -> Deadlines:
        # compute_deadlines depends on the category only through these two numbers.
        key = (category.moderation_days, category.deadline_days, created.astimezone(self.tz).date())
        found = self.deadlines.get(key)
        if found is None:
            found = self.deadlines[key] = compute_deadlines(
                category=category, municipality=self.muni, at=created
            )
        return found

    def build(self, index: int, row: HistoryRow) -> tuple[dict, list[list], int | None]:
        """(report columns, event columns, index of an original report not yet inserted)."""
        try:
            return self._build(index, row)
        except ValueError as exc:
            raise ReportInvalid(f"row {index}: {exc}", code="history") from None

    def _build(self, index: int, row: HistoryRow) -> tuple[dict, list[list], int | None]:
        clean = self._check(row)
        category = row.category
        department = self.routes.department(category, clean.district_id)
        department_id = department.pk if department else None
        plan = plan_history(
            row.steps, created=row.created, department_id=department_id, department_ids=self.department_ids
        )
        duplicate_of_id, pending = self._original(index, row, plan)
        deadlines = self.deadlines_for(category, row.created)
        report = {
            "created": row.created,
            "updated": plan.updated,
            "municipality_id": self.muni.pk,
            "category_id": category.pk,
            "district_id": clean.district_id,
            "department_id": plan.department_id,
            "status": plan.status.value,
            "lat": row.lat,
            "lon": row.lon,
            "h3": geo.cell_of(row.lat, row.lon),
            "address": clean.address,
            "description": clean.description,
            "attributes": clean.attributes,
            "author_id": row.author_id,
            "contact_name": clean.name,
            "contact_email": clean.email,
            "contact_phone": clean.phone,
            "email_hash": crypto.lookup_hash(clean.email) if clean.email else "",
            "show_name": bool(row.show_name) and not row.anonymous,
            "anonymous": bool(row.anonymous),
            "moderation_due": deadlines.moderation_due,
            "deadline": deadlines.deadline,
            "closed_at": plan.closed_at,
            "duplicate_of_id": duplicate_of_id,
            "status_reason": plan.status_reason,
            "source": row.source,
            "token": row.token or uuid.uuid4(),
        }
        return report, _history(row, department_id), pending

    def _check(self, row: HistoryRow) -> _Clean:
        """What report_create would check, first refusal as a ValueError."""
        category = row.category
        if category.municipality_id != self.muni.pk or not category.active:
            raise ValueError(f"category {category.service_code!r} is not an active category of this city")
        if row.created.tzinfo is None:
            raise ValueError("created must be timezone-aware")
        if row.created > self.now or (row.steps and row.steps[-1].at > self.now):
            raise ValueError("history cannot be in the future")
        if not category.in_season(row.created.astimezone(self.tz).date()):
            raise ValueError(f"{category.service_code!r} is out of season on {row.created.date()}")
        description = (row.description or "").strip()
        if not description or len(description) > MAX_DESCRIPTION:
            raise ValueError("the description is empty or too long")
        address = (row.address or "").strip()
        name, phone = (row.contact_name or "").strip(), (row.contact_phone or "").strip()
        if len(address) > MAX_ADDRESS or len(name) > 200 or len(phone) > 40:
            raise ValueError("the address, contact name or phone is too long")
        district_id = district_for_report(self.muni.pk, row.lat, row.lon)
        if district_id is None:
            raise ValueError(f"({row.lat}, {row.lon}) is outside the city")
        if row.anonymous and not category.anonymous_allowed:
            raise ValueError(f"{category.service_code!r} does not accept anonymous reports")
        email = (row.contact_email or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValueError("the contact e-mail is not valid") from None
        return _Clean(district_id, self._attributes(row), description, address, name, phone, email)

    def _attributes(self, row: HistoryRow) -> dict:
        if not row.attributes:
            return {}
        category = row.category
        if category.pk not in self.attributes:
            self.attributes[category.pk] = list(category.attributes.all())
        attributes, errors = clean_attributes(self.attributes[category.pk], row.attributes)
        if errors:
            code, message = next(iter(errors.items()))
            raise ValueError(f"attribute {code}: {message}")
        return attributes

    def _original(self, index: int, row: HistoryRow, plan: Plan) -> tuple[int | None, int | None]:
        """(id of the report this one duplicates, or the index of a row of this batch not yet inserted)."""
        if not plan.duplicate:
            if row.duplicate_of_row is not None or row.duplicate_of_id is not None:
                raise ValueError("duplicate_of given without a mark_duplicate step")
            return None, None
        if row.duplicate_of_row is not None:
            if not 0 <= row.duplicate_of_row < index:
                raise ValueError("duplicate_of_row must name an earlier row")
            if row.duplicate_of_row < len(self.ids):
                return self.ids[row.duplicate_of_row], None
            return None, row.duplicate_of_row  # in the batch being built: filled in right after the insert
        if row.duplicate_of_id is not None:
            return row.duplicate_of_id, None
        raise ValueError("a mark_duplicate step needs duplicate_of_row or duplicate_of_id")

    def flush(self, reports: list[list], events: list[list[list]], pending: list[tuple[int, int]]) -> int:
        """Insert a batch; returns the number of events written. `pending`: (position in this batch,
        row index of its original) for duplicates of a report in the same batch."""
        first = len(self.ids)
        with transaction.atomic(), connection.cursor() as cursor:
            ids = self.reports.insert(cursor, reports, returning=True)
            if len(ids) != len(reports) or (connection.vendor == "sqlite" and ids != sorted(ids)):
                raise RuntimeError("the database did not return the new ids in order")
            self.ids.extend(ids)
            rows = []
            event_row = self.event_row
            for report_id, history in zip(ids, events, strict=True):
                for event in history:
                    event[0] = report_id
                    rows.append(event_row(event))
            self.events.insert(cursor, rows)
            if pending:
                qn = connection.ops.quote_name
                table, pk = qn(Report._meta.db_table), qn(str(Report._meta.pk.column))
                column = qn(str(Report._meta.get_field("duplicate_of").column))
                cursor.executemany(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608 (names from the model)
                    [(self.ids[original], self.ids[first + position]) for position, original in pending],
                )
        return len(rows)


class _Clean(NamedTuple):
    district_id: int
    attributes: dict
    description: str
    address: str
    name: str
    phone: str
    email: str


def _history(row: HistoryRow, department_id: int | None) -> list[list]:
    """The row's events: "submit", then one per step, each from the status the previous one left."""
    events = [_event(row.created, row.author_id, "submit", "", Status.SUBMITTED, "", "", department_id)]
    status, dept = Status.SUBMITTED, department_id
    for step in row.steps:
        transition = TRANSITIONS[step.action]
        target = target_of(transition, status)
        if transition.needs_department:
            dept = step.department_id
        notes = (step.public_note, step.private_note)
        events.append(_event(step.at, step.actor_id, step.action, status.value, target.value, *notes, dept))
        status = target
    return events


EVENT_KEYS = (
    "report_id", "at", "actor_id", "action", "from_status", "to_status", "public_note", "private_note",
    "department_id", "note_state", "changes", "dispatched", "published_event_id",
)  # fmt: skip
_PUBLISHED = ReportEvent.NoteState.PUBLISHED.value


def _event(at, actor_id, action, from_status, to_status, public_note, private_note, department_id) -> list:
    """An event's values in EVENT_KEYS order; the report id is filled in once the report is inserted.
    Dispatched: history is not news (module doc)."""
    return [
        None, at, actor_id, action, from_status, to_status, (public_note or "").strip(),
        (private_note or "").strip(), department_id, _PUBLISHED, {}, True, None,
    ]  # fmt: skip


def reports_load_history(
    municipality: Municipality,
    rows: Iterable[HistoryRow],
    *,
    batch_size: int = DEFAULT_BATCH,
    atomic: bool = True,
    progress: Callable[[int], None] | None = None,
    routes: Routes | None = None,
) -> LoadResult:
    """Load `rows` (any iterable: a generator keeps memory flat) as reports with their histories.

    atomic=True: one transaction around the whole load, so a refused row leaves nothing behind.
    atomic=False: one transaction per batch (for very large loads); a refused row stops the load after
    the batches already written. `progress(n)` is called with the number of reports after each batch."""
    loader = _Loader(municipality, routes)
    written = 0
    with transaction.atomic() if atomic else nullcontext():
        reports: list[list] = []
        histories: list[list[list]] = []
        pending: list[tuple[int, int]] = []
        for index, row in enumerate(rows):
            report, history, original = loader.build(index, row)
            if original is not None:
                pending.append((len(reports), original))
            reports.append(loader.reports.values(report))
            histories.append(history)
            if len(reports) >= batch_size:
                written += loader.flush(reports, histories, pending)
                if progress:
                    progress(len(reports))
                reports, histories, pending = [], [], []
        if reports:
            written += loader.flush(reports, histories, pending)
            if progress:
                progress(len(reports))
    return LoadResult(ids=loader.ids, events=written)


def reports_delete_for(municipality: Municipality, *, chunk: int = 5000) -> int:
    """Delete all of a municipality's reports with their events and photos (files too, after commit).
    Returns how many reports went. For demo and benchmark resets, not for production data."""
    photos = Photo.objects.filter(report__municipality=municipality)
    files = list(photos.values_list("image", flat=True))
    deleted = 0
    with transaction.atomic():
        ReportEvent.objects.filter(report__municipality=municipality).delete()
        photos.delete()
        mine = Report.objects.filter(municipality=municipality)
        mine.filter(duplicate_of__isnull=False).update(duplicate_of=None)
        ids = list(mine.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            # By pk chunks: the ORM's collector still handles other apps' relations, without holding a
            # million rows at once; `only` skips decrypting contacts nobody will read.
            part = ids[start : start + chunk]
            Report.objects.filter(pk__in=part).only("pk").delete()
            deleted += len(part)

        transaction.on_commit(lambda: photo_store.delete_files(files))
    return deleted


def restart_numbering_if_empty() -> bool:
    """When no report exists at all, make the next report number 1 again (SQLite's AUTOINCREMENT and
    PostgreSQL's sequence keep counting after deletes), so a re-seeded demo is numbered like a fresh one."""
    from django.core.management.color import no_style

    if Report.objects.exists():
        return False
    tables = [{"table": m._meta.db_table, "column": "id"} for m in (Report, ReportEvent, Photo)]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), tables):
            cursor.execute(sql)
    return True
