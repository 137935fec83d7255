"""reports.services.bulk.reports_load_history: reports placed, routed and dated as report_create does,
histories that follow the workflow table, encrypted contacts — and a forbidden path refused with nothing
written."""

import datetime as dt

import pytest
from django.db import connection

from gorod.core import clock, crypto, geo
from gorod.reports.models import Report, ReportEvent
from gorod.reports.services import ReportInvalid, compute_deadlines
from gorod.reports.services.bulk import (
    HistoryRow,
    Step,
    reports_delete_for,
    reports_load_history,
    restart_numbering_if_empty,
)
from gorod.reports.workflow import TRANSITIONS, Status
from tests.conftest import MSK

pytestmark = pytest.mark.django_db

MAY_4 = dt.datetime(2026, 5, 4, 9, 30, tzinfo=MSK)


def at(days: float, base: dt.datetime = MAY_4) -> dt.datetime:
    return base + dt.timedelta(days=days)


def row(categories, **overrides) -> HistoryRow:
    fields = dict(
        category=categories["litter"],
        lat=59.90,
        lon=30.30,
        created=MAY_4,
        description="Мусор у дома 3",
    )
    fields.update(overrides)
    return HistoryRow(**fields)


FULL_PATH = (
    Step("accept", at(0.5)),
    Step("start", at(1)),
    Step("resolve", at(2), public_note="Убрано"),
    Step("confirm", at(3)),
)


def test_history_is_routed_dated_and_written_as_events(city, categories, frozen_spring):
    result = reports_load_history(city, [row(categories, steps=FULL_PATH, attributes={})])
    report = Report.objects.get(pk=result.ids[0])
    assert report.district.slug == "south"
    assert report.department.slug == "south-yards"  # the district's own rule beats the default
    assert report.h3 == geo.cell_of(59.90, 30.30)
    assert report.status == Status.CONFIRMED
    assert report.closed_at == at(3)
    assert report.status_reason == "Убрано"
    assert report.created == MAY_4 and report.updated == at(3)
    events = list(ReportEvent.objects.filter(report=report).order_by("at", "id"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("submit", "", "submitted"),
        ("accept", "submitted", "accepted"),
        ("start", "accepted", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("confirm", "resolved", "confirmed"),
    ]
    assert all(e.department_id == report.department_id for e in events)
    assert result.events == 5


def test_loaded_history_is_not_news(city, categories, frozen_spring):
    from gorod.reports import events

    reports_load_history(
        city, [row(categories, steps=FULL_PATH, attributes={}, contact_email="a@example.org")]
    )
    rows = ReportEvent.objects.all()
    assert rows.count() == 5 and not rows.filter(dispatched=False).exists()
    assert not events.any_undispatched()  # so the worker tells no one about a fix of two years ago
    assert set(rows.values_list("note_state", flat=True)) == {ReportEvent.NoteState.PUBLISHED}
    assert list(rows.values_list("changes", flat=True)) == [{}] * 5


def test_every_event_is_a_transition_the_table_allows(city, categories, frozen_spring):
    steps = (
        Step("accept", at(0.1)),
        Step("resolve", at(1), public_note="Сделано"),
        Step("dispute", at(2), public_note="Не сделано"),
        Step("reopen", at(2.5)),
        Step("start", at(3)),
    )
    result = reports_load_history(city, [row(categories, steps=steps)])
    report = Report.objects.get(pk=result.ids[0])
    assert report.status == Status.IN_PROGRESS and report.closed_at is None
    assert report.status_reason == "Не сделано"
    for event in ReportEvent.objects.filter(report=report).exclude(action="submit"):
        assert Status(event.from_status) in TRANSITIONS[event.action].sources


def test_a_path_the_workflow_forbids_is_refused_and_nothing_is_written(city, categories, frozen_spring):
    good = row(categories, steps=FULL_PATH)
    bad = row(categories, steps=(Step("start", at(1)),))  # work cannot start before moderation
    with pytest.raises(ReportInvalid, match=r"row 2: step 1 \(start\)"):
        # batch_size=1: the first rows are already inserted when the bad one comes
        reports_load_history(city, [good, good, bad], batch_size=1)
    assert Report.objects.count() == 0
    assert ReportEvent.objects.count() == 0


@pytest.mark.parametrize(
    "steps, message",
    [
        ((Step("reject", at(1)),), "public note"),
        ((Step("fly_away", at(1)),), "unknown action"),
        ((Step("accept", at(1)), Step("confirm", at(2))), "does not allow"),
        ((Step("accept", at(1)), Step("start", at(0.5))), "before the previous step"),
        ((Step("accept", at(1)), Step("transfer", at(2), public_note="Не наше")), "another department"),
        ((Step("mark_duplicate", at(1)),), "duplicate_of"),
    ],
)
def test_bad_steps_are_refused(city, categories, frozen_spring, steps, message):
    with pytest.raises(ReportInvalid, match=message):
        reports_load_history(city, [row(categories, steps=steps)])
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"lat": 55.75, "lon": 37.62}, "outside the city"),
        ({"category_code": "snow"}, "out of season"),
        ({"created": dt.datetime(2026, 6, 1, tzinfo=MSK)}, "future"),
        ({"category_code": "pothole", "anonymous": True}, "anonymous"),
        ({"category_code": "pothole", "attributes": {"depth": "deep"}}, "attribute depth"),
        ({"contact_email": "not-an-address"}, "e-mail"),
        ({"description": "   "}, "description"),
    ],
)
def test_rows_report_create_would_refuse_are_refused(city, categories, frozen_spring, overrides, message):
    code = overrides.pop("category_code", "litter")
    with pytest.raises(ReportInvalid, match=message):
        reports_load_history(city, [row(categories, category=categories[code], **overrides)])
    assert Report.objects.count() == 0


def test_contact_details_are_encrypted_at_rest(city, categories, frozen_spring):
    result = reports_load_history(
        city,
        [
            row(
                categories,
                contact_name="Иван Петров",
                contact_email="Ivan@Example.org",
                contact_phone="+7 900",
            )
        ],
    )
    table = connection.ops.quote_name(Report._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT contact_name, contact_email, contact_phone FROM {table} WHERE id = %s",  # noqa: S608
            [result.ids[0]],
        )
        stored = cursor.fetchone()
    assert "Иван" not in stored[0] and "Example" not in stored[1] and "+7 900" not in stored[2]
    assert [crypto.decrypt(v) for v in stored] == ["Иван Петров", "Ivan@Example.org", "+7 900"]
    report = Report.objects.get(pk=result.ids[0])
    assert report.contact_email == "Ivan@Example.org"
    assert report.email_hash == crypto.lookup_hash("ivan@example.org")
    assert report.show_name is False


def test_deadlines_equal_compute_deadlines(city, categories, frozen_spring):
    # Across the May holidays (1 and 11 May), a moved working day (Sat 16 May) and a late-evening filing
    # whose local date is the next day in UTC terms.
    times = [
        dt.datetime(2026, 4, 30, 23, 30, tzinfo=MSK),
        dt.datetime(2026, 5, 8, 18, 0, tzinfo=MSK),
        dt.datetime(2026, 5, 10, 12, 0, tzinfo=MSK),
        dt.datetime(2026, 5, 1, 0, 15, tzinfo=MSK),
    ]
    rows = [
        row(
            categories,
            category=categories[code],
            created=t,
            attributes={"depth": "3"} if code == "pothole" else {},
        )
        for t in times
        for code in ("pothole", "litter")
    ]
    result = reports_load_history(city, rows)
    for report_id, r in zip(result.ids, rows, strict=True):
        report = Report.objects.get(pk=report_id)
        expected = compute_deadlines(category=r.category, municipality=city, at=r.created)
        assert (report.moderation_due, report.deadline) == (expected.moderation_due, expected.deadline)


def test_duplicates_point_at_earlier_rows_in_the_same_or_an_earlier_batch(city, categories, frozen_spring):
    dup = (Step("mark_duplicate", at(1), public_note="Уже есть"),)
    rows = [
        row(categories),
        row(categories, steps=dup, duplicate_of_row=0),
        row(categories),
        row(categories, steps=dup, duplicate_of_row=2),
        row(categories, steps=dup, duplicate_of_row=0),
    ]
    # Batches of two: rows 1 and 3 duplicate a row of their own batch, row 4 one of an earlier batch.
    result = reports_load_history(city, rows, batch_size=2)
    got = dict(Report.objects.values_list("pk", "duplicate_of_id"))
    ids = result.ids
    assert got[ids[1]] == ids[0] and got[ids[3]] == ids[2] and got[ids[4]] == ids[0]
    assert Report.objects.get(pk=ids[1]).status == Status.DUPLICATE


def test_a_later_row_cannot_be_an_original(city, categories, frozen_spring):
    dup = (Step("mark_duplicate", at(1), public_note="Уже есть"),)
    with pytest.raises(ReportInvalid, match="earlier row"):
        reports_load_history(city, [row(categories, steps=dup, duplicate_of_row=1), row(categories)])


def test_transfer_moves_the_report_and_its_later_events(city, categories, frozen_spring):
    roads = city.departments.get(slug="roads")
    steps = (
        Step("accept", at(0.5)),
        Step("transfer", at(1), public_note="Это дорога", department_id=roads.pk),
        Step("start", at(2)),
    )
    result = reports_load_history(city, [row(categories, steps=steps)])
    report = Report.objects.get(pk=result.ids[0])
    assert report.department == roads and report.status == Status.IN_PROGRESS
    departments = list(
        ReportEvent.objects.filter(report=report)
        .order_by("at", "id")
        .values_list("department__slug", flat=True)
    )
    assert departments == ["south-yards", "south-yards", "roads", "roads"]


def test_ids_come_from_the_database_in_row_order(city, categories, frozen_spring):
    rows = [row(categories, created=at(i / 10), description=f"№{i}") for i in range(7)]
    result = reports_load_history(city, rows, batch_size=3)
    assert list(result.ids) == sorted(result.ids) and len(set(result.ids)) == 7
    assert [Report.objects.get(pk=i).description for i in result.ids] == [f"№{i}" for i in range(7)]


def test_delete_and_restart_numbering(city, categories, frozen_spring):
    reports_load_history(city, [row(categories, steps=FULL_PATH)] * 3)
    assert restart_numbering_if_empty() is False
    assert reports_delete_for(city) == 3
    assert Report.objects.count() == ReportEvent.objects.count() == 0
    assert restart_numbering_if_empty() is True
    with clock.frozen(frozen_spring):
        result = reports_load_history(city, [row(categories)])
    assert list(result.ids) == [1]
