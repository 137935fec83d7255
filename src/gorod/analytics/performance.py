"""Department performance, computed from the reports' history (ReportEvent rows), never from counters.

For a period of local days [first, last] of the municipality and a grouping (the department, or the
district), each group gets:

- received: reports filed in the period ("submit" events), under the department now responsible;
- resolved: reports whose *first* resolution falls in the period, under the department that resolved;
- on-time share: of those, the share resolved on or before the deadline as it stood at that moment (a
  deadline changed later, e.g. reset by a dispute, is rolled back from the change's recorded old value);
- median working days to resolve: from the local day of acceptance to the local day of the first
  resolution, in the municipality's working-day calendar (WorkCalendar.working_days_between);
- disputed share: disputes in the period / resolutions (every resolve event) in the period;
- satisfaction: mean score and count of the ratings given in the period.

Counting is done by the database (GROUP BY); only the first resolutions' days come back as rows, and the
working days, on-time flags and medians over them are numpy array operations. Results are cached per
municipality and period for CACHE_TTL_S."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate

from gorod.city import selectors as city_selectors
from gorod.city.models import Municipality
from gorod.core.calendar import WorkCalendar
from gorod.reports.models import ReportEvent, Satisfaction

CACHE_TTL_S = 300
CHUNK = 5000  # rows of first resolutions read at a time
GROUPS = ("department", "district")


@dataclasses.dataclass(frozen=True)
class Figures:
    """One row of the table; None where there is nothing to measure."""

    key: int
    received: int = 0
    resolved: int = 0  # first resolutions
    on_time: int = 0
    median_days: float | None = None
    resolutions: int = 0  # every resolve event
    disputes: int = 0
    rating_sum: int = 0
    ratings: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.resolved if self.resolved else None

    @property
    def disputed_share(self) -> float | None:
        return self.disputes / self.resolutions if self.resolutions else None

    @property
    def satisfaction(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None


@dataclasses.dataclass(frozen=True)
class Performance:
    first: dt.date
    last: dt.date
    by_department: dict[int, Figures]
    by_district: dict[int, Figures]
    totals: Figures


def performance(municipality: Municipality, first: dt.date, last: dt.date) -> Performance:
    """The figures for local days first..last (both included), cached for CACHE_TTL_S."""
    key = f"gorod:performance:v1:{municipality.pk}:{first.isoformat()}:{last.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = compute(municipality, first, last)
        cache.set(key, found, CACHE_TTL_S)
    return found


def compute(municipality: Municipality, first: dt.date, last: dt.date) -> Performance:
    tz = ZoneInfo(municipality.timezone)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    events = ReportEvent.objects.filter(report__municipality=municipality, at__gte=start, at__lt=end)
    calendar = city_selectors.calendar_for(municipality.pk)

    counts: dict[str, dict[str, dict[int, int]]] = {g: {} for g in GROUPS}
    # Received: where the report is now; resolutions and disputes: the department that acted.
    paths = {
        "received": ("submit", {"department": "report__department_id", "district": "report__district_id"}),
        "resolutions": ("resolve", {"department": "department_id", "district": "report__district_id"}),
        "disputes": ("dispute", {"department": "department_id", "district": "report__district_id"}),
    }
    for name, (action, by) in paths.items():
        for group in GROUPS:
            counts[group][name] = _count(events.filter(action=action), by[group])

    rated = Satisfaction.objects.filter(
        report__municipality=municipality, created__gte=start, created__lt=end
    )
    ratings = {
        group: {
            k: (int(n), int(total))
            for k, n, total in rated.order_by()
            .values_list(f"report__{group}_id")
            .annotate(n=Count("id"), total=Sum("score"))
            .values_list(f"report__{group}_id", "n", "total")
            if k is not None
        }
        for group in GROUPS
    }

    rows = first_resolutions(events, tz)
    days, on_time = days_and_on_time(rows, calendar)

    tables: dict[str, dict[int, Figures]] = {}
    for index, group in enumerate(GROUPS):
        keys = rows["keys"][:, index]
        per_group = _per_group(keys, days, on_time)
        ids = set(per_group) | {k for c in counts[group].values() for k in c} | set(ratings[group])
        tables[group] = {
            k: Figures(
                key=k,
                received=counts[group]["received"].get(k, 0),
                resolved=per_group.get(k, (0, 0, None))[0],
                on_time=per_group.get(k, (0, 0, None))[1],
                median_days=per_group.get(k, (0, 0, None))[2],
                resolutions=counts[group]["resolutions"].get(k, 0),
                disputes=counts[group]["disputes"].get(k, 0),
                ratings=ratings[group].get(k, (0, 0))[0],
                rating_sum=ratings[group].get(k, (0, 0))[1],
            )
            for k in ids
            if k is not None
        }
    valid = days >= 0
    totals = Figures(
        key=0,
        received=sum(counts["district"]["received"].values()),
        resolved=len(days),
        on_time=int(on_time.sum()),
        median_days=float(np.median(days[valid])) if valid.any() else None,
        resolutions=sum(counts["district"]["resolutions"].values()),
        disputes=sum(counts["district"]["disputes"].values()),
        ratings=sum(n for n, _ in ratings["district"].values()),
        rating_sum=sum(s for _, s in ratings["district"].values()),
    )
    return Performance(first, last, tables["department"], tables["district"], totals)


def _count(qs: QuerySet[ReportEvent], field: str) -> dict[int, int]:
    return {
        k: n
        for k, n in qs.order_by().values_list(field).annotate(n=Count("id")).values_list(field, "n")
        if k is not None
    }


def first_resolutions(events: QuerySet[ReportEvent], tz: ZoneInfo) -> dict[str, np.ndarray]:
    """One row per report first resolved in the period: its groups (department, district, category)
    and report id, and as day numbers (numpy
    datetime64[D]) the local days of acceptance and resolution and the deadline as it stood."""
    same_report = ReportEvent.objects.filter(report_id=OuterRef("report_id"))
    earlier = same_report.filter(action="resolve").filter(
        Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("id"))
    )
    accepted = same_report.filter(action="accept").order_by("at", "id").values("at")[:1]
    # The deadline as it stood: the old value of the first change of the deadline after this moment.
    deadline_then = (
        same_report.filter(at__gte=OuterRef("at"), changes__has_key="deadline")
        .exclude(id=OuterRef("id"))
        .order_by("at", "id")
        .values(old=KT("changes__deadline__0"))[:1]
    )
    qs = (
        events.filter(action="resolve")
        .filter(~Exists(earlier))
        .annotate(
            resolved_day=TruncDate("at", tzinfo=tz),
            accepted_day=TruncDate(Subquery(accepted), tzinfo=tz),
            deadline_change=Subquery(deadline_then),
        )
        .order_by()
        .values_list(
            "department_id",
            "report__district_id",
            "report__category_id",
            "report_id",
            "accepted_day",
            "resolved_day",
            "report__deadline",
            "deadline_change",
        )
    )
    # Read in chunks and kept as numpy columns (a few bytes a row): a year of a big city is hundreds of
    # thousands of first resolutions, which as Python tuples of dates took a hundred MB and more.
    parts = [_columns(chunk) for chunk in _batched(qs.iterator(chunk_size=CHUNK), CHUNK)]
    if not parts:
        parts = [_columns([])]
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _batched(rows, size: int):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _columns(data: list[tuple]) -> dict[str, np.ndarray]:
    n = len(data)
    keys = np.full((n, 4), -1, dtype=np.int64)  # department, district, category, report
    accepted_days = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    resolved_days = np.empty(n, dtype="datetime64[D]")
    deadlines = np.empty(n, dtype="datetime64[D]")
    if n:
        columns = list(zip(*data, strict=True))
        keys[:, 0] = [-1 if v is None else v for v in columns[0]]
        keys[:, 1] = columns[1]
        keys[:, 2] = columns[2]
        keys[:, 3] = columns[3]
        accepted_days[:] = [np.datetime64("NaT") if v is None else v for v in columns[4]]
        resolved_days[:] = columns[5]
        deadlines[:] = [
            changed[:10] if isinstance(changed, str) and changed else current
            for current, changed in zip(columns[6], columns[7], strict=True)
        ]
    return {"keys": keys, "accepted": accepted_days, "resolved": resolved_days, "deadline": deadlines}


def days_and_on_time(rows: dict[str, np.ndarray], calendar: WorkCalendar) -> tuple[np.ndarray, np.ndarray]:
    """Working days (accepted, resolved] per row (-1 where the report has no acceptance), and whether
    the resolution came on or before the deadline."""
    accepted, resolved = rows["accepted"], rows["resolved"]
    on_time = resolved <= rows["deadline"]
    days = np.full(len(resolved), -1, dtype=np.int64)
    known = ~np.isnat(accepted) & (accepted <= resolved)
    if known.any():
        a, r = accepted[known], resolved[known]
        holidays = np.array(sorted(calendar.holidays), dtype="datetime64[D]")
        # busday_count counts [begin, end): shift by a day for (accepted, resolved].
        one = np.timedelta64(1, "D")
        counted = np.busday_count(a + one, r + one, holidays=holidays)
        # Weekend days the government made working ("перенос"), which busday_count cannot know.
        extra = np.array(
            sorted(
                d for d in calendar.moved_workdays if not (d.weekday() < 5 and d not in calendar.holidays)
            ),
            dtype="datetime64[D]",
        )
        if len(extra):
            counted += np.searchsorted(extra, r, side="right") - np.searchsorted(extra, a, side="right")
        days[known] = counted
    return days, on_time


def _per_group(
    keys: np.ndarray, days: np.ndarray, on_time: np.ndarray
) -> dict[int, tuple[int, int, float | None]]:
    """key → (first resolutions, on time, median working days)."""
    if not len(keys):
        return {}
    order = np.argsort(keys, kind="stable")
    keys, days, on_time = keys[order], days[order], on_time[order]
    bounds = np.flatnonzero(np.diff(keys)) + 1
    out: dict[int, tuple[int, int, float | None]] = {}
    for k, d, t in zip(
        keys[np.r_[0, bounds]], np.split(days, bounds), np.split(on_time, bounds), strict=True
    ):
        if k < 0:
            continue
        measured = d[d >= 0]
        out[int(k)] = (len(d), int(t.sum()), float(np.median(measured)) if len(measured) else None)
    return out
