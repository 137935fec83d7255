"""The charts of /stats/ (and the staff version): each one a title, a data table (header and rows of
plain values) and its SVG. The page shows the table beside the chart and the CSV writes the same rows,
so what a chart draws, its table and its CSV cannot disagree."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import Sum
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gorod.analytics.stats import buckets, svg
from gorod.analytics.stats.cube import Selection, Totals, select
from gorod.analytics.stats.filters import StatsFilter
from gorod.analytics.stats.models import BallotDay
from gorod.budgeting.models import Process
from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Department, District, Municipality
from gorod.core import geo
from gorod.reports import clustering
from gorod.reports.selectors import ReportFilter

HEAT_RESOLUTION = 7  # ~5 km² a cell: a few hundred cells over a city of St Petersburg's size
Value = str | int | Decimal | None

# Short forms for the chart's axis (the table has the long ones).
RESPONSE_SHORT = (
    gettext_lazy("<1 h"), gettext_lazy("1–4 h"), gettext_lazy("4–8 h"), gettext_lazy("8–24 h"),
    gettext_lazy("1–2 d"), gettext_lazy("2–3 d"), gettext_lazy("3–7 d"), gettext_lazy("7+ d"),
)  # fmt: skip
RESPONSE_LABELS = (
    gettext_lazy("under 1 hour"), gettext_lazy("1–4 hours"), gettext_lazy("4–8 hours"),
    gettext_lazy("8–24 hours"), gettext_lazy("1–2 days"), gettext_lazy("2–3 days"),
    gettext_lazy("3–7 days"), gettext_lazy("7 days or more"),
)  # fmt: skip
PUBLIC_CHARTS = (
    "category", "district", "month", "heatmap", "response", "resolution", "on_time", "disputes",
    "ratings", "turnout",
)  # fmt: skip
STAFF_CHARTS = (*PUBLIC_CHARTS, "department")


@dataclasses.dataclass
class Chart:
    key: str
    title: str
    description: str
    header: list[str]
    rows: list[list[Value]]
    svg: SafeString | str = ""
    notes: list[str] = dataclasses.field(default_factory=list)
    links: list[str] = dataclasses.field(default_factory=list)  # per row: where its label links ("" none)


@dataclasses.dataclass
class Context:
    municipality: Municipality
    f: StatsFilter
    rows: Selection
    totals: Totals
    names: dict[str, dict[int, str]]
    staff: bool
    _by: dict[str, dict[int, Totals]] = dataclasses.field(default_factory=dict)

    def by(self, column: str) -> dict[int, Totals]:
        """Totals per district, category or department (computed once per page)."""
        if column not in self._by:
            self._by[column] = self.rows.sums_by(column)
        return self._by[column]


def context(municipality: Municipality, f: StatsFilter, *, staff: bool) -> Context:
    rows = select(
        municipality,
        f.first,
        f.last,
        districts=[f.district] if f.district else (),
        categories=[f.category] if f.category else (),
        departments=[f.department] if f.department else (),
    )
    names = {
        "district": {d.pk: d.label for d in District.objects.filter(municipality=municipality)},
        "category": {c.pk: c.label for c in Category.objects.filter(municipality=municipality)},
        "department": {d.pk: d.label for d in Department.objects.filter(municipality=municipality)}
        if staff
        else {},
    }
    return Context(municipality, f, rows, rows.sums(), names, staff)


def build(ctx: Context, key: str) -> Chart:
    return BUILDERS[key](ctx)


def _pct(part: int, whole: int) -> Decimal | None:
    return _round(part / whole * 100) if whole else None


def _round(v: float | None, places: int = 1) -> Decimal | None:
    """A fixed number of decimals, kept when written (Decimal: 5.0 stays "5.0", 0.03 stays "0.03")."""
    return None if v is None else Decimal(str(v)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def shown(v: Value) -> str:
    """A value as the table (and the SVG) shows it; CSV writes the same (with "" for "—")."""
    return "—" if v is None else str(v)


def _by_name(ctx: Context, column: str, sums: dict[int, Totals], field: str) -> list[tuple[int, str, int]]:
    items = [(k, ctx.names[column].get(k, "?"), t.counts[field]) for k, t in sums.items() if k >= 0]
    return sorted((i for i in items if i[2]), key=lambda t: (-t[2], t[1]))


def _category(ctx: Context) -> Chart:
    items = _by_name(ctx, "category", ctx.by("category"), "filed")
    title = _("Reports by category")
    desc = _("Reports filed in the period per category, the most first.")
    return Chart(
        "category", title, desc, [_("Category"), _("Reports filed")], [[name, n] for _k, name, n in items],
        svg.bars("category", title, desc, [(name, n, str(n)) for _k, name, n in items]),
    )  # fmt: skip


def _district(ctx: Context) -> Chart:
    sums = ctx.by("district")
    population = dict(District.objects.filter(municipality=ctx.municipality).values_list("pk", "population"))
    rows: list[list[Value]] = []
    for pk, name in sorted(ctx.names["district"].items(), key=lambda kv: kv[1]):
        if ctx.f.district and pk != ctx.f.district:
            continue
        n = sums[pk].counts["filed"] if pk in sums else 0
        people = population.get(pk, 0)
        rows.append([name, n, people or None, _round(n / people * 1000, 2) if people else None])
    title = _("Reports by district")
    desc = _("Reports filed in the period per district, and per 1,000 residents.")
    return Chart(
        "district", title, desc,
        [_("District"), _("Reports filed"), _("Residents"), _("Per 1,000 residents")], rows,
        svg.bars("district", title, desc, [(str(r[0]), float(r[1] or 0), str(r[1])) for r in rows]),
    )  # fmt: skip


def _month(ctx: Context) -> Chart:
    rows: list[list[Value]] = [[month, n] for month, n in ctx.rows.filed_by_month()]
    title = _("Reports by month")
    desc = _("Reports filed per month of the period (the first and last months may be partial).")
    return Chart(
        "month", title, desc, [_("Month"), _("Reports filed")], rows,
        svg.columns("month", title, desc, [(str(r[0]), float(r[1] or 0), str(r[1])) for r in rows]),
    )  # fmt: skip


def _heatmap(ctx: Context) -> Chart:
    """From the map's index (reports.clustering): the same reports the public map shows."""
    f = ctx.f
    tz = ZoneInfo(ctx.municipality.timezone)
    wanted = ReportFilter(
        categories=(f.category,) if f.category else (),
        districts=(f.district,) if f.district else (),
        departments=(f.department,) if f.department else (),
        start=dt.datetime.combine(f.first, dt.time.min, tzinfo=tz),
        end=dt.datetime.combine(f.last, dt.time.max, tzinfo=tz),
    )
    snap = clustering.snapshot(ctx.municipality.pk)
    positions = clustering.select(snap, wanted, public_only=ctx.municipality.hide_anonymous_until_moderated)
    h3 = snap.h3 if positions is None else snap.h3[positions]
    rows: list[list[Value]] = []
    cells: list[tuple[list[tuple[float, float]], int]] = []
    if len(h3):
        prefix = h3 >> np.int64(3 * (15 - HEAT_RESOLUTION))
        starts = np.concatenate(([0], np.flatnonzero(prefix[1:] != prefix[:-1]) + 1))
        counts = np.diff(np.append(starts, len(h3)))
        parents = geo.parents_np(h3[starts], HEAT_RESOLUTION)
        order = np.lexsort((parents, -counts))
        for cell, n in zip(parents[order].tolist(), counts[order].tolist(), strict=True):
            lat, lon = geo.cell_centre(cell)
            rows.append([f"{cell:x}", f"{lat:.4f}", f"{lon:.4f}", n])
            cells.append((list(geo.cell_boundary(cell)), n))
    title = _("Where reports are filed")
    desc = _("Reports filed in the period per hexagonal map cell (H3, about 5 km²); darker is more.")
    return Chart(
        "heatmap", title, desc, [_("H3 cell"), _("Latitude"), _("Longitude"), _("Reports filed")], rows,
        svg.heatmap("heatmap", title, desc, cells, _outlines(ctx)) if cells else "",
    )  # fmt: skip


_outline_cache: dict[tuple[int, str], dict[int, list[list[tuple[float, float]]]]] = {}


def _outlines(ctx: Context) -> list[list[tuple[float, float]]]:
    """The districts' outer rings as (lat, lon), simplified to about 100 m (enough for a 640-px map);
    kept per process until the city's configuration changes."""
    key = (ctx.municipality.pk, city_selectors.config_version(ctx.municipality.pk))
    rings = _outline_cache.get(key)
    if rings is None:
        rings = {}
        for pk, boundary in District.objects.filter(municipality=ctx.municipality).values_list(
            "pk", "boundary"
        ):
            shape = geo.geometry_from_geojson(boundary).simplify(0.001)
            rings[pk] = [
                [(lat, lon) for lon, lat in polygon.exterior.coords]
                for polygon in getattr(shape, "geoms", [shape])
            ]
        _outline_cache.clear()  # one city's version at a time is plenty
        _outline_cache[key] = rings
    wanted = [ctx.f.district] if ctx.f.district else list(rings)
    return [ring for pk in wanted for ring in rings.get(pk, [])]


def _quantile_notes(median: float | None, p90: float | None, unit: str) -> list[str]:
    if median is None:
        return []
    return [
        _("Median: %(v)s %(unit)s") % {"v": shown(_round(median)), "unit": unit},
        _("90th percentile: %(v)s %(unit)s") % {"v": shown(_round(p90)), "unit": unit},
    ]


def _response(ctx: Context) -> Chart:
    counts = ctx.totals.response.tolist()
    rows: list[list[Value]] = [[str(label), n] for label, n in zip(RESPONSE_LABELS, counts, strict=True)]
    title = _("Time to the first response")
    desc = _("Reports by the time from filing to the city's first step (accepted, rejected, started…).")
    return Chart(
        "response", title, desc, [_("Time to the first response"), _("Reports")], rows,
        svg.columns(
            "response", title, desc,
            [(str(a), float(r[1] or 0), str(r[1])) for a, r in zip(RESPONSE_SHORT, rows, strict=True)],
        ),
        _quantile_notes(ctx.totals.response_quantile(0.5), ctx.totals.response_quantile(0.9), _("hours")),
    )  # fmt: skip


def _resolution(ctx: Context) -> Chart:
    counts = ctx.totals.resolution.tolist()
    bounds = buckets.RESOLUTION_DAYS
    labels = [
        str(low) if high - low == 1 else f"{low}–{high - 1}" for low, high in itertools.pairwise(bounds)
    ] + [_("%(n)s or more") % {"n": bounds[-1]}]
    rows: list[list[Value]] = [[label, n] for label, n in zip(labels, counts, strict=True)]
    title = _("Working days to resolve")
    desc = _("Reports first resolved in the period by working days from acceptance to resolution.")
    return Chart(
        "resolution", title, desc, [_("Working days"), _("Reports")], rows,
        svg.columns("resolution", title, desc, [(str(r[0]), float(r[1] or 0), str(r[1])) for r in rows]),
        _quantile_notes(
            ctx.totals.resolution_quantile(0.5), ctx.totals.resolution_quantile(0.9), _("working days")
        ),
    )  # fmt: skip


def _on_time(ctx: Context) -> Chart:
    sums = ctx.by("district")
    rows: list[list[Value]] = []
    for pk, name in sorted(ctx.names["district"].items(), key=lambda kv: kv[1]):
        t = sums.get(pk)
        if t is None or not t.counts["resolved"]:
            continue
        done, ok = t.counts["resolved"], t.counts["on_time"]
        rows.append([name, done, ok, done - ok, _pct(ok, done)])
    c = ctx.totals.counts
    title = _("Resolved on time")
    desc = _(
        "Of the reports first resolved in the period, the share resolved by their deadline, per district."
    )
    notes = [
        _("Whole selection: %(p)s %% of %(n)s")
        % {"p": shown(_pct(c["on_time"], c["resolved"])), "n": c["resolved"]}
    ]
    return Chart(
        "on_time", title, desc,
        [_("District"), _("Resolved"), _("On time"), _("Late"), _("On time, %")], rows,
        svg.bars("on_time", title, desc, [(str(r[0]), float(r[4] or 0), f"{shown(r[4])} %") for r in rows]),
        notes if c["resolved"] else [],
    )  # fmt: skip


def _disputes(ctx: Context) -> Chart:
    sums = ctx.by("district")
    rows: list[list[Value]] = []
    for pk, name in sorted(ctx.names["district"].items(), key=lambda kv: kv[1]):
        t = sums.get(pk)
        if t is None or not t.counts["resolutions"]:
            continue
        rows.append(
            [
                name,
                t.counts["resolutions"],
                t.counts["disputes"],
                _pct(t.counts["disputes"], t.counts["resolutions"]),
            ]
        )
    title = _("Disputed resolutions")
    desc = _(
        "Disputes by authors who said the problem was not fixed, per resolution in the period, per district."
    )
    return Chart(
        "disputes", title, desc, [_("District"), _("Resolutions"), _("Disputes"), _("Disputed, %")], rows,
        svg.bars("disputes", title, desc, [(str(r[0]), float(r[3] or 0), f"{shown(r[3])} %") for r in rows]),
    )  # fmt: skip


def _ratings(ctx: Context) -> Chart:
    counts = ctx.totals.scores.tolist()
    rows: list[list[Value]] = [[score, n] for score, n in zip(buckets.SCORES, counts, strict=True)]
    title = _("Ratings")
    desc = _("The authors' ratings (1 worst, 5 best) given in the period after they confirmed a fix.")
    notes = []
    if ctx.totals.ratings:
        mean = ctx.totals.rating_sum / ctx.totals.ratings
        notes.append(
            _("Mean: %(v)s of 5 (%(n)s ratings)") % {"v": shown(_round(mean, 2)), "n": ctx.totals.ratings}
        )
    return Chart(
        "ratings", title, desc, [_("Rating"), _("Ratings")], rows,
        svg.columns("ratings", title, desc, [(str(r[0]), float(r[1] or 0), str(r[1])) for r in rows]), notes,
    )  # fmt: skip


def turnout_process(municipality: Municipality) -> Process | None:
    """The budgeting process shown: the latest with ballots."""
    pk = (
        BallotDay.objects.filter(municipality=municipality)
        .order_by("-process__created", "-process_id")
        .values_list("process_id", flat=True)
        .first()
    )
    return Process.objects.filter(pk=pk).first() if pk else None


def _turnout(ctx: Context) -> Chart:
    process = turnout_process(ctx.municipality)
    rows: list[list[Value]] = []
    notes: list[str] = []
    if process is not None:
        notes.append(
            _("Participatory budgeting: %(title)s (the whole vote, whatever the period).")
            % {"title": process.label}
        )
        ballots = dict(
            BallotDay.objects.filter(municipality=ctx.municipality, process=process, district__isnull=False)
            .values_list("district_id")
            .annotate(n=Sum("ballots"))
            .values_list("district_id", "n")
        )
        population = dict(
            District.objects.filter(municipality=ctx.municipality).values_list("pk", "population")
        )
        for pk, name in sorted(ctx.names["district"].items(), key=lambda kv: kv[1]):
            if ctx.f.district and pk != ctx.f.district:
                continue
            n, people = int(ballots.get(pk, 0)), population.get(pk, 0)
            rows.append([name, n, people or None, _round(n / people * 1000, 2) if people else None])
    title = _("Budgeting turnout")
    desc = _("Ballots cast in each district's participatory budgeting vote per 1,000 residents.")
    return Chart(
        "turnout", title, desc, [_("District"), _("Ballots"), _("Residents"), _("Per 1,000 residents")], rows,
        svg.bars("turnout", title, desc, [(str(r[0]), float(r[3] or 0), shown(r[3])) for r in rows])
        if rows
        else "",
        notes,
    )  # fmt: skip


def _department(ctx: Context) -> Chart:
    sums = ctx.by("department")
    rows: list[list[Value]] = []
    links: list[str] = []
    for pk, name in sorted(ctx.names["department"].items(), key=lambda kv: kv[1]):
        t = sums.get(pk)
        if t is None:
            continue
        c = t.counts
        rows.append([
            name, c["filed"], c["resolved"], _pct(c["on_time"], c["resolved"]),
            _round(t.resolution_quantile(0.5)),
            c["disputes"], _round(t.rating_sum / t.ratings, 2) if t.ratings else None,
        ])  # fmt: skip
        links.append(str(pk))
    title = _("Departments")
    desc = _(
        "Reports filed, first resolutions, on-time share, median working days, disputes and ratings "
        "per department."
    )
    chart = Chart(
        "department", title, desc,
        [
            _("Department"), _("Reports filed"), _("Resolved"), _("On time, %"), _("Median working days"),
            _("Disputes"), _("Mean rating"),
        ],
        rows,
        svg.bars("department", title, desc, [(str(r[0]), float(r[1] or 0), str(r[1])) for r in rows]),
    )  # fmt: skip
    chart.links = links
    return chart


BUILDERS = {
    "category": _category, "district": _district, "month": _month, "heatmap": _heatmap,
    "response": _response, "resolution": _resolution, "on_time": _on_time, "disputes": _disputes,
    "ratings": _ratings, "turnout": _turnout, "department": _department,
}  # fmt: skip
