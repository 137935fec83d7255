"""Writing the daily rollups (models ReportDay, BallotDay): one local day of one municipality at a time,
computed from the reports' history (ReportEvent, Satisfaction) and replaced whole, so rolling a day
again gives the same rows (idempotent) and the worker can re-roll recent days without care.

`rows_between` is also what readers use for the days not rolled up yet (analytics.stats.cube), so stored and
live figures are computed by one piece of code."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from gorod.analytics.performance import days_and_on_time, first_resolutions
from gorod.analytics.stats import buckets
from gorod.analytics.stats.models import BallotDay, ReportDay, RollupState
from gorod.budgeting.models import Ballot
from gorod.city import selectors as city_selectors
from gorod.city.models import Municipality
from gorod.core import clock
from gorod.reports.models import Report, ReportEvent, Satisfaction

# The city's first answer to a report: any step its staff take (confirm, dispute and reopen are the
# author's or a moderator's answer to the city, not the city's answer).
RESPONSE_ACTIONS = ("accept", "reject", "mark_duplicate", "transfer", "start", "resolve")
# Days before the last rolled one that the daily job rolls again: a transaction that committed late
# (its events stamped before midnight) is then still counted.
REROLL_DAYS = 2
BACKFILL_CHUNK_DAYS = 31
COUNTS = ("filed", "responded", "resolved", "on_time", "resolutions", "disputes")


def _bounds(municipality: Municipality, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = ZoneInfo(municipality.timezone)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def rows_between(municipality: Municipality, first: dt.date, last: dt.date) -> list[dict]:
    """The ReportDay rows of local days first..last, as dicts of field values (no primary key), in
    (day, district, category, department) order. A fixed number of queries whatever the length."""
    tz = ZoneInfo(municipality.timezone)
    start, end = _bounds(municipality, first, last)
    events = ReportEvent.objects.filter(report__municipality=municipality, at__gte=start, at__lt=end)
    rows: dict[tuple, dict] = defaultdict(_blank)
    local_day = TruncDate("at", tzinfo=tz)
    where = ("report__district_id", "report__category_id")

    for action, field, department in (
        ("submit", "filed", "report__department_id"),  # under the department now responsible
        ("resolve", "resolutions", "department_id"),  # under the department that acted
        ("dispute", "disputes", "department_id"),
    ):
        for day, *key, n in _grouped(
            events.filter(action=action).annotate(d=local_day), ("d", *where, department)
        ):
            rows[(day, *key)][field] += n

    # First responses, by hours since filing.
    earlier = ReportEvent.objects.filter(report_id=OuterRef("report_id"), action__in=RESPONSE_ACTIONS).filter(
        Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("id"))
    )
    first_answers = (
        events.filter(action__in=RESPONSE_ACTIONS)
        .filter(~Exists(earlier))
        .annotate(d=local_day)
        .order_by()
        .values_list("d", *where, "report__department_id", "at", "report__created")
    )
    for day, district, category, department, at, created in first_answers.iterator(chunk_size=5000):
        row = rows[(day, district, category, department)]
        row["responded"] += 1
        hours = max((at - created).total_seconds(), 0) / 3600
        row["response_hours"][int(buckets.bucket_of(np.array([hours]), buckets.RESPONSE_HOURS)[0])] += 1

    # First resolutions: on time by the deadline as it stood, and working days from acceptance.
    found = first_resolutions(events, tz)
    days, on_time = days_and_on_time(found, city_selectors.calendar_for(municipality.pk))
    slots = buckets.bucket_of(days, buckets.RESOLUTION_DAYS)
    for (department, district, category, _report), day, d, ok, slot in zip(
        found["keys"].tolist(),
        found["resolved"].tolist(),
        days.tolist(),
        on_time.tolist(),
        slots.tolist(),
        strict=True,
    ):
        row = rows[(day, district, category, None if department < 0 else department)]
        row["resolved"] += 1
        row["on_time"] += int(ok)
        if d >= 0:  # without an acceptance there is nothing to count the days from
            row["resolution_days"][slot] += 1

    rated = Satisfaction.objects.filter(
        report__municipality=municipality, created__gte=start, created__lt=end
    ).annotate(d=TruncDate("created", tzinfo=tz))
    for day, *key, score, n in _grouped(rated, ("d", *where, "report__department_id", "score")):
        rows[(day, *key)]["scores"][score - 1] += n

    return [
        {"day": k[0], "district_id": k[1], "category_id": k[2], "department_id": k[3], **v}
        for k, v in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3] or 0))
    ]


def _blank() -> dict:
    return {
        **dict.fromkeys(COUNTS, 0),
        "response_hours": [0] * len(buckets.RESPONSE_HOURS),
        "resolution_days": [0] * len(buckets.RESOLUTION_DAYS),
        "scores": [0] * len(buckets.SCORES),
    }


def _grouped(qs, fields: tuple[str, ...]) -> list[tuple]:
    return list(qs.order_by().values_list(*fields).annotate(n=Count("pk")).values_list(*fields, "n"))


@transaction.atomic
def roll_days(*, municipality: Municipality, first: dt.date, last: dt.date) -> int:
    """Replace the rows of local days first..last (both included); the state then reaches at least
    `last`. Returns the number of rows written."""
    written = 0
    chunk = first
    while chunk <= last:  # a month at a time: bounded memory on a backfill of years
        until = min(chunk + dt.timedelta(days=BACKFILL_CHUNK_DAYS - 1), last)
        rows = rows_between(municipality, chunk, until)
        ReportDay.objects.filter(municipality=municipality, day__gte=chunk, day__lte=until).delete()
        ReportDay.objects.bulk_create(
            [ReportDay(municipality=municipality, **r) for r in rows], batch_size=1000
        )
        written += len(rows)
        chunk = until + dt.timedelta(days=1)
    state = RollupState.objects.select_for_update().filter(municipality=municipality).first()
    through = max(last, state.through) if state else last
    RollupState.objects.update_or_create(
        municipality=municipality,
        defaults={"through": through, "stamp": uuid.uuid4().hex, "rolled_at": clock.now()},
    )
    return written


def first_day(municipality: Municipality) -> dt.date | None:
    """The local day of the municipality's oldest report (None: no reports)."""
    oldest = (
        Report.objects.filter(municipality=municipality)
        .order_by("created")
        .values_list("created", flat=True)
        .first()
    )
    return oldest.astimezone(ZoneInfo(municipality.timezone)).date() if oldest else None


def roll_due(*, municipality: Municipality) -> int:
    """The daily job for one municipality: every finished local day not rolled up yet (from its first
    report on a first run), the last REROLL_DAYS days again, and the budgeting turnout. Once done for
    a day it does nothing more until the next (the worker runs it hourly: a changed stamp makes every
    process reload its rollups)."""
    tz = ZoneInfo(municipality.timezone)
    today = clock.today(tz)
    yesterday = today - dt.timedelta(days=1)
    state = RollupState.objects.filter(municipality=municipality).first()
    first: dt.date | None
    if state is None:
        first = first_day(municipality)
    elif state.through >= yesterday and state.rolled_at.astimezone(tz).date() == today:
        first = None
    else:
        first = min(state.through + dt.timedelta(days=1), yesterday - dt.timedelta(days=REROLL_DAYS - 1))
    written = 0
    if first is not None and first <= yesterday:
        written = roll_days(municipality=municipality, first=first, last=yesterday)
    roll_ballots(municipality=municipality)
    return written


@transaction.atomic
def rebuild(*, municipality: Municipality) -> int:
    """Every rollup of the municipality thrown away and written again from its first report to
    yesterday (after a bulk load or a restore, where days far back have changed)."""
    ReportDay.objects.filter(municipality=municipality).delete()
    RollupState.objects.filter(municipality=municipality).delete()
    written = 0
    first = first_day(municipality)
    yesterday = clock.today(ZoneInfo(municipality.timezone)) - dt.timedelta(days=1)
    if first is not None and first <= yesterday:
        written = roll_days(municipality=municipality, first=first, last=yesterday)
    roll_ballots(municipality=municipality)
    return written


@transaction.atomic
def roll_ballots(*, municipality: Municipality) -> int:
    """Ballots per process, scope and local day of casting, recounted whole (a few GROUP BY rows)."""
    tz = ZoneInfo(municipality.timezone)
    counted = (
        Ballot.objects.filter(process__municipality=municipality)
        .annotate(day=TruncDate("cast_hour", tzinfo=tz))
        .order_by()
        .values_list("process_id", "district_id", "day")
        .annotate(n=Count("pk"))
    )
    BallotDay.objects.filter(municipality=municipality).delete()
    rows = [
        BallotDay(municipality=municipality, process_id=p, district_id=d, day=day, ballots=n)
        for p, d, day, n in counted
    ]
    BallotDay.objects.bulk_create(rows, batch_size=500)
    return len(rows)
