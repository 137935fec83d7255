"""GET requests lists read through SQL compiled once per shape (open311/compiled.py, issue 10): the rows
are the ORM's for every combination of filters, a kept shape is reused with other values, and a shape
whose values the ORM writes some other way is left to the ORM."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from gorod.open311 import compiled, listing
from gorod.reports.models import Report
from gorod.reports.selectors import ReportFilter, filtered
from tests.conftest import SPRING_DAY
from tests.open311.conftest import JURISDICTION, copies_of

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def reports(city, categories, frozen_spring, file_report):
    """Reports of two services over ten days, in two places, some closed."""
    from gorod.reports.services import report_transition

    pothole = file_report()
    litter = file_report(category=categories["litter"], lat=59.9, lon=30.3, attributes={})
    report_transition(report=litter, action="reject", public_note="Не наш вопрос")
    copies_of(pothole, 6, start=SPRING_DAY - 10 * DAY, step=DAY)
    copies_of(Report.objects.get(pk=litter.pk), 6, start=SPRING_DAY - 9 * DAY, step=DAY)
    compiled._kept.clear()
    return categories


def orm_rows(city, query: listing.RequestQuery, fields, offset, limit) -> list[tuple]:
    """What the list read before it was compiled: the ORM, straight."""
    qs = filtered(
        city,
        ReportFilter(
            categories=query.categories, open311_status=query.status, start=query.start, end=query.end
        ),
    )
    if query.bbox:
        qs = listing._in_box(qs, query.bbox)
    return list(qs.order_by("-created", "-id").values_list(*fields)[offset : offset + limit])


def queries(reports) -> list[listing.RequestQuery]:
    pothole, litter = reports["pothole"].pk, reports["litter"].pk
    start, end = SPRING_DAY - 8 * DAY, SPRING_DAY - 2 * DAY
    return [
        listing.RequestQuery(),
        listing.RequestQuery(categories=(pothole,)),
        listing.RequestQuery(categories=(litter, pothole), status="open"),
        listing.RequestQuery(status="closed", start=start),
        listing.RequestQuery(end=end),
        listing.RequestQuery(categories=(pothole,), start=start, end=end),
        listing.RequestQuery(bbox=(59.996, 30.295, 60.004, 30.305)),  # small: the (lat, lon) index
        listing.RequestQuery(bbox=(59.9, 30.2, 60.1, 30.4), status="open"),  # large: lat + 0
        listing.RequestQuery(bbox=(59.896, 30.295, 59.904, 30.305), start=start),  # where litter is
    ]


def test_every_shape_reads_the_orms_rows_and_is_kept(city, reports):
    for query in queries(reports):
        for fields in (listing._BASE_FIELDS, listing._BASE_FIELDS + listing._EXTENDED_FIELDS):
            for offset, limit in ((0, 1000), (0, 3), (3, 3)):
                expected = orm_rows(city, query, fields, offset, limit)
                assert listing._rows_filtered(city, query, fields, offset, limit) == expected, query
                assert listing._rows_filtered(city, query, fields, offset, limit) == expected, query
    assert compiled._kept and all(compiled._kept.values()), "a shape was left to the ORM"
    # Each query finds something, so that the comparisons above compared rows.
    assert all(orm_rows(city, q, listing._BASE_FIELDS, 0, 1000) for q in queries(reports))
    # Both kinds of box were kept (listing._in_box).
    assert {key[4][-1] for key in compiled._kept} == {None, True, False}


def test_a_kept_shape_takes_other_values(city, reports):
    """The second query of a shape runs the first one's SQL with its own values, in one query."""
    pothole, litter = reports["pothole"].pk, reports["litter"].pk
    fields = listing._BASE_FIELDS
    first = listing.RequestQuery(categories=(pothole,), start=SPRING_DAY - 8 * DAY)
    listing._rows_filtered(city, first, fields, 0, 100)
    kept = len(compiled._kept)
    other = listing.RequestQuery(categories=(litter,), start=SPRING_DAY - 3 * DAY)
    with CaptureQueriesContext(connection) as captured:
        rows = listing._rows_filtered(city, other, fields, 0, 100)
    assert len(captured) == 1 and len(compiled._kept) == kept
    assert rows == orm_rows(city, other, fields, 0, 100)
    assert rows and {r[11] for r in rows} == {litter}
    assert all(r[6] >= SPRING_DAY - 3 * DAY for r in rows)


def test_a_shape_the_orm_writes_otherwise_is_left_to_it(city, reports, monkeypatch):
    """When a stand-in is not found once among the compiled parameters, the ORM runs the query."""
    monkeypatch.setattr(compiled, "_stand_in", lambda field, i: 1)  # 1 is also the municipality's id
    query = listing.RequestQuery(categories=(reports["pothole"].pk,))
    fields = listing._BASE_FIELDS
    assert listing._rows_filtered(city, query, fields, 0, 100) == orm_rows(city, query, fields, 0, 100)
    assert list(compiled._kept.values()) == [None]
    assert listing._rows_filtered(city, query, fields, 0, 100) == orm_rows(city, query, fields, 0, 100)


def test_the_store_of_shapes_is_bounded(city, reports, monkeypatch):
    monkeypatch.setattr(compiled, "MAX_SHAPES", 3)
    for page in range(1, 6):
        listing._rows_filtered(city, listing.RequestQuery(), listing._BASE_FIELDS, page - 1, 1)
    assert 1 <= len(compiled._kept) <= 3


def test_the_answers_are_the_same_through_the_api(o311, city, reports):
    """Through the view, in both formats: a kept shape answers a second request like the first."""
    params = {"jurisdiction_id": JURISDICTION, "service_code": "pothole,litter", "page_size": "4"}
    first = o311.both("requests", **params)
    again = o311.both("requests", **params)
    assert first == again and len(first) == 4
    page_two = o311.both("requests", page="2", **params)
    assert not {r["service_request_id"] for r in page_two} & {r["service_request_id"] for r in first}
    closed = o311.both("requests", status="closed", **params)
    assert closed and all(r["status"] == "closed" for r in closed)


# Committed rows: the mirror is a second connection, which on SQLite cannot see into a test transaction.
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_kept_shape_reads_from_the_database_the_router_picks(city, reports, monkeypatch):
    """Compiled per database: a list read from the replica (core.replica) runs there, not on the primary."""
    seen: dict[str, list[str]] = {"default": [], "replica": []}

    def recorder(alias):
        def record(execute, sql, params, many, context):
            seen[alias].append(sql)
            return execute(sql, params, many, context)

        return record

    query = listing.RequestQuery(categories=(reports["pothole"].pk,))
    monkeypatch.setattr(compiled.router, "db_for_read", lambda model, **hints: "replica")
    with (
        connection.execute_wrapper(recorder("default")),
        connections["replica"].execute_wrapper(recorder("replica")),
    ):
        rows = listing._rows_filtered(city, query, listing._BASE_FIELDS, 0, 10)
    assert seen["replica"] and not seen["default"]
    assert rows == orm_rows(city, query, listing._BASE_FIELDS, 0, 10) and rows
    assert {key[0] for key in compiled._kept} == {"replica"}
