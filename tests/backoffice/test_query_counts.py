"""Every back-office page loads in a fixed number of queries, the same with 2 rows as with 20: the
numbers are exact so that a new query per page shows up here, and an N+1 fails loudly."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.backoffice.escalation import escalate_overdue
from gorod.city import selectors as city_selectors
from gorod.city.models import Category, ResponseTemplate
from gorod.core import clock
from gorod.notifications.models import Channel, Delivery
from gorod.reports.models import ReportEvent
from gorod.reports.services import moderation
from tests.backoffice.states import bring_to
from tests.conftest import MSK, make_jpeg
from tests.query_counts import ROWS, assert_pinned, count_queries, get, growing

pytestmark = pytest.mark.django_db
LATER = dt.datetime(2026, 6, 10, 10, 0, tzinfo=MSK)  # every report filed on SPRING_DAY is overdue by then
# Every staff page starts with the session, the user and the second factor, then the desk's city (one
# query, with the department of department staff).
AUTH = 3
BULK_READS = AUTH + 1 + 2  # the chosen reports, the template
# moderation.report_act for one report in its own transaction: the savepoints, the lock, the checks, the
# change and its event (the outbox's deliveries come later, from the worker's fan-out). It moves when they
# do; the back office adds nothing per report.
WRITES_PER_REPORT = 10
# A report's page: the report, its photos, its history, the questions its category asks, the city's
# categories, departments and districts (the names its history mentions); then one query for each part of
# the page this role and state show.
DETAIL = AUTH + 1 + 7


@pytest.fixture
def litter():
    return Category.objects.get(service_code="litter")


@pytest.fixture
def pending_answer(staff, file_report, litter):
    """A report of a category whose answers a moderator checks, with the department's answer held."""

    def make():
        report = bring_to(file_report(category=litter, attributes={}, photos=[]), "in_progress")
        moderation.report_act(
            report=report, actor=staff["other_executor"], action="resolve", public_note="Убрали"
        )
        return report

    return make


@pytest.fixture
def assigned(staff, file_report):
    """Accepted reports of the roads department, assigned to its executor."""

    def make(n: int):
        for _i in range(n):
            report = bring_to(file_report(photos=[]), "accepted")
            moderation.report_assign(report=report, actor=staff["head"], assignee=staff["executor"])

    return make


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_home(role, client_for, file_report, pending_answer, frozen_spring):
    def grow(n):
        for _i in range(n):
            bring_to(file_report(photos=[]), "accepted")
            file_report(photos=[])
        pending_answer()

    # four figures in one pass over the open reports, the held answers
    assert_pinned(AUTH + 1 + 2, growing(grow, get(client_for(role), "/backoffice/")))


def test_moderation_queue(client_for, file_report, pending_answer, frozen_spring):
    def grow(n):
        for _i in range(n):
            file_report(photos=[])
            pending_answer()

    # the count and the page of new reports, the held answers, the rejection reasons (to reject in bulk)
    assert_pinned(AUTH + 1 + 4, growing(grow, get(client_for("moderator"), "/backoffice/moderation/")))


@pytest.mark.parametrize(
    "role, query, expected",
    [
        # count, page, returned answers, staff, categories, districts, templates
        ("executor", "", AUTH + 1 + 7),
        ("head", "?status=all", AUTH + 1 + 7),
        # the same, with every department to filter by and no staff until one is chosen
        ("admin", "?status=all&sort=-updated", AUTH + 1 + 7),
        ("admin", "?department={roads}&assignee=none&q=%D1%8F%D0%BC%D0%B0", AUTH + 1 + 8),
    ],
)
def test_department_queue(role, query, expected, staff, client_for, assigned, file_report, frozen_spring):
    url = "/backoffice/queue/" + query.format(roads=staff["head"].department_id)

    def grow(n):
        assigned(n)
        for _i in range(n // 2):
            bring_to(file_report(photos=[]), "in_progress")

    assert_pinned(expected, growing(grow, get(client_for(role), url)))


def test_report_detail_of_a_new_report(staff, client_for, file_report, frozen_spring, settings):
    settings.GOROD_MAX_PHOTOS = 20
    report = file_report()
    url = f"/backoffice/reports/{report.pk}/"

    def grow(n):
        for _i in range(n):
            file_report(photos=[make_jpeg(size=(8, 8))], lat=60.0001)  # a duplicate candidate
            moderation.report_add_note(report=report, actor=staff["moderator"], text="Проверить")

    # answer templates (a moderator may transfer it), rejection reasons, duplicate candidates
    assert_pinned(DETAIL + 3, growing(grow, get(client_for("moderator"), url)))


def test_report_detail_with_a_long_history(staff, client_for, file_report, city, frozen_spring):
    report = bring_to(file_report(photos=[make_jpeg(size=(8, 8))]), "accepted")
    url = f"/backoffice/reports/{report.pk}/"
    people = [staff["executor"], staff["head"], None]

    def grow(n):
        for i in range(n):
            assignee = people[i % len(people)]
            moderation.report_assign(report=report, actor=staff["head"], assignee=assignee)
            moderation.report_add_note(report=report, actor=staff["head"], text=f"Заметка {i}")
            ResponseTemplate.objects.create(
                municipality=city, action="start", title=f"Шаблон {i}", text="Работы по №{id} начаты"
            )

    # answer templates, the people the assignments name, the staff to assign to
    assert_pinned(DETAIL + 3, growing(grow, get(client_for("head"), url)))


def test_report_detail_with_a_returned_answer(staff, client_for, pending_answer, frozen_spring):
    report = pending_answer()
    event = ReportEvent.objects.get(report=report, action="resolve")
    moderation.answer_send_back(event=event, actor=staff["moderator"], reason="Нет фото")
    url = f"/backoffice/reports/{report.pk}/"

    def grow(n):
        for _i in range(n):
            moderation.report_add_note(report=report, actor=staff["moderator"], text="Ещё раз")

    assert_pinned(DETAIL, growing(grow, get(client_for("other_executor"), url)))


def test_bulk_reads_once_and_writes_per_report(staff, client_for, file_report, frozen_spring):
    """The reads of the bulk page are fixed; each report then costs the same writes (it is checked and
    changed in its own transaction), so the count is exact at any size."""
    client = client_for("executor")
    ids: list[int] = []

    def post():
        response = client.post(
            "/backoffice/queue/bulk/",
            {"ids": ids, "op": "act", "action": "start", "next": "/backoffice/queue/"},
        )
        assert response.status_code == 200 and response.context["done"] == len(ids)

    def page(n):
        ids[:] = [bring_to(file_report(photos=[]), "accepted").pk for _i in range(n)]
        return post

    for n in ROWS:
        assert count_queries(page(n)) == BULK_READS + n * WRITES_PER_REPORT


def test_dead_letters(client_for, file_report, city, frozen_spring):
    def grow(n):
        for _i in range(n):
            Delivery.objects.create(
                channel=Channel.WEBHOOK,
                municipality=city,
                key=f"k{Delivery.objects.count()}".ljust(64, "k"),
                kind="webhook",
                report=file_report(photos=[]),
                payload="{}",
                state=Delivery.State.DEAD,
                attempts=8,
                last_error="HTTP 500",
            )

    # the count and the page, and the newest e-mails not sent on purpose
    assert_pinned(AUTH + 1 + 3, growing(grow, get(client_for("admin"), "/backoffice/deliveries/")))


def test_overdue_escalation(staff, assigned, city, frozen_spring):
    days = iter([LATER, LATER + dt.timedelta(days=1)])  # a new day's list each time

    def run():
        with clock.frozen(next(days)):
            assert escalate_overdue(municipality=city) == 1

    # the overdue reports, their departments, the heads; then the one head's mail into the outbox (its
    # look-up and insert, the worker's task, and the savepoints around them). The outbox asks whether the
    # city is a training sandbox from the per-process list of municipalities, kept as in a running worker.
    city_selectors.municipalities()
    assert_pinned(3 + 9, growing(assigned, run))
