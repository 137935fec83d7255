"""Reads of reports: filtering shared by the site and Open311, duplicates nearby, and a report's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet

from gorod.city.models import Category, Municipality
from gorod.core import calendar, clock, geo
from gorod.reports.models import HOLDS_CONTACTS, Photo, Report, ReportEvent
from gorod.reports.workflow import CLOSED, OPEN, Status


@dataclass(frozen=True)
class ReportFilter:
    """Filters every public listing understands. Each field is already validated."""

    categories: tuple[int, ...] = ()
    districts: tuple[int, ...] = ()
    departments: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()  # workflow statuses
    open311_status: str = ""  # "open" | "closed" | ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east
    ids: tuple[int, ...] = ()


def unmoderated_anonymous() -> Q:
    """New reports filed without a signed-in account: those a city may keep from the public until a
    moderator has seen them (Municipality.hide_anonymous_until_moderated)."""
    return Q(status=Status.SUBMITTED, author__isnull=True)


def public_reports(municipality: Municipality) -> QuerySet[Report]:
    """The city's reports the public may find: all, or, where the city says so, all but the
    unmoderated anonymous ones."""
    qs = Report.objects.filter(municipality=municipality)
    if municipality.hide_anonymous_until_moderated:
        qs = qs.exclude(unmoderated_anonymous())
    return qs


def withheld(report: Report, municipality: Municipality) -> bool:
    """Whether this report's page must not show it to the public yet (see public_reports)."""
    return bool(
        municipality.hide_anonymous_until_moderated
        and report.status == Status.SUBMITTED
        and report.author_id is None
    )


def filtered(municipality: Municipality, f: ReportFilter) -> QuerySet[Report]:
    """The public reports of the city matching the filter (every public listing reads through here)."""
    qs = public_reports(municipality)
    if f.ids:
        return qs.filter(pk__in=f.ids)
    if f.categories:
        qs = qs.filter(category_id__in=f.categories)
    if f.districts:
        qs = qs.filter(district_id__in=f.districts)
    if f.departments:
        qs = qs.filter(department_id__in=f.departments)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.open311_status:
        qs = qs.filter(status__in=OPEN if f.open311_status == "open" else CLOSED)
    if f.start:
        qs = qs.filter(created__gte=f.start)
    if f.end:
        qs = qs.filter(created__lte=f.end)
    if f.bbox:
        south, west, north, east = f.bbox
        qs = qs.filter(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)
    return qs


# Public pages never show contact details, so they are not even read (nor decrypted) for them.
PRIVATE_FIELDS = ("contact_name", "contact_email", "contact_phone", "email_hash")


def for_list(qs: QuerySet[Report]) -> QuerySet[Report]:
    """What a list row shows, without a query per row."""
    return (
        qs.select_related("category", "district", "department")
        .defer(*PRIVATE_FIELDS)
        .order_by("-created", "-id")
    )


def nearby_open_duplicates(
    *,
    category: Category,
    lat: float,
    lon: float,
    radius_m: float | None = None,
    limit: int = 5,
    among: QuerySet[Report] | None = None,
) -> list[Report]:
    """Open reports of the same category within radius_m (default 50 m), nearest first; `among` narrows
    them (the public form passes public_reports)."""
    radius = radius_m if radius_m is not None else settings.GOROD_DUPLICATE_RADIUS_M
    base = Report.objects.all() if among is None else among
    candidates = base.filter(
        category=category, h3__in=geo.cells_within(lat, lon, radius), status__in=OPEN
    ).only("id", "lat", "lon", "description", "status", "created", "address")
    near = [(geo.haversine_m(lat, lon, r.lat, r.lon), r) for r in candidates]
    return [r for d, r in sorted(near, key=lambda pair: pair[0]) if d <= radius][:limit]


def report_page(pk: int) -> Report | None:
    return (
        Report.objects.select_related(
            "category", "category__object_type", "district", "department", "municipality"
        )
        .defer(*PRIVATE_FIELDS)
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.order_by("order", "id")),
            Prefetch(
                "events", queryset=ReportEvent.objects.select_related("department").order_by("at", "id")
            ),
        )
        .filter(pk=pk)
        .first()
    )


def addresses_given(reports: QuerySet[Report]) -> set[str]:
    """The look-up hashes of the e-mail addresses given with these reports."""
    return set(reports.exclude(email_hash="").values_list("email_hash", flat=True))


def contacts_expired(*, municipality: Municipality, now: dt.datetime) -> QuerySet[Report]:
    """Closed reports of this city that hold contact details past the city's retention time."""
    cutoff = calendar.add_months(now, -municipality.contact_retention_months)
    return Report.objects.filter(
        HOLDS_CONTACTS, municipality=municipality, status__in=CLOSED, closed_at__lte=cutoff
    ).order_by("closed_at", "pk")


@dataclass(frozen=True)
class Retention:
    months: int
    until: dt.datetime | None  # None while the report is open: the time starts when it is closed


def contact_retention(report: Report) -> Retention | None:
    """When this report's contact details will be deleted; None if it holds none. Reads the report's
    municipality (select it with the report)."""
    if not Report.objects.filter(HOLDS_CONTACTS, pk=report.pk).exists():
        return None
    months = report.municipality.contact_retention_months
    closed = report.closed_at if report.closed_at and not report.is_open else None
    return Retention(months, calendar.add_months(closed, months) if closed else None)


COUNTS_TTL_S = 30  # the home page polls; a full count over a million reports takes ~0.3 s


def counts(municipality: Municipality) -> dict[str, int]:
    """Live counts for the home page, at most COUNTS_TTL_S old."""
    key = f"gorod:report-counts:{municipality.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    agg = Report.objects.filter(municipality=municipality).aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=OPEN)),
        fixed=Count("id", filter=Q(status__in=[Status.RESOLVED, Status.CONFIRMED])),
        month=Count("id", filter=Q(created__gte=clock.now() - dt.timedelta(days=30))),
    )
    result = {k: v or 0 for k, v in agg.items()}
    cache.set(key, result, COUNTS_TTL_S)
    return result
