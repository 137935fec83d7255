"""The monthly demand report: figures, trends, access, bad months, the PDF the worker keeps."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from pypdf import PdfReader

from gorod.accounts.models import User
from gorod.analytics.demand import selectors, services
from gorod.analytics.demand.models import DemandCounter, DemandReport
from gorod.analytics.tasks import demand_reports
from gorod.city.services import city_import_file
from gorod.core import clock
from gorod.demo.city import PETROZAVODSK_FILE
from tests.helpers import login_verified

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def june(city):
    with clock.frozen(NOW):
        yield city


def put(city, day: str, kind: str, key: str, value: int) -> None:
    DemandCounter.objects.create(
        municipality=city, day=dt.date.fromisoformat(day), kind=kind, key=key, value=value
    )


@pytest.fixture
def may_and_april(june):
    for day, phones, desktops in (("2026-05-03", 30, 10), ("2026-05-20", 50, 10), ("2026-04-11", 40, 10)):
        put(june, day, "device", "phone", phones)
        put(june, day, "device", "desktop", desktops)
    put(june, "2026-05-03", "visit", "report_form", 60)
    put(june, "2026-04-11", "visit", "report_form", 40)
    put(june, "2026-05-03", "funnel", "report:opened", 60)
    put(june, "2026-05-03", "funnel", "report:sent", 30)
    put(june, "2026-05-03", "funnel", "report:filed", 24)
    put(june, "2026-05-03", "search_empty", "news", 7)
    put(june, "2026-05-03", "language", "en", 5)
    put(june, "2026-05-03", "search_term", "news:вывоз ёлок", 4)
    put(june, "2026-06-01", "visit", "report_form", 999)  # another month: not in May
    return june


def official(role: str, municipality=None) -> Client:
    name = f"{role}-{municipality.slug if municipality else 'default'}"
    user = User.objects.create_user(username=name, password="x", role=role, municipality=municipality)
    client = Client()
    if role == User.Role.CITIZEN:
        client.force_login(user)
        return client
    return login_verified(client, user)


def test_figures_of_a_month_with_trends(may_and_april):
    f = selectors.demand_figures(may_and_april, dt.date(2026, 5, 1))
    assert f.visitors.value == 100 and f.visitors.previous == 50 and f.visitors.change == 100
    form = next(s for s in f.services if s.key == "report_form")
    assert (form.value, form.previous, form.change) == (60, 40, 50)
    report = next(x for x in f.funnels if x.key == "report")
    assert [s.value for s in report.steps] == [60, 30, 24]
    assert [s.lost for s in report.steps] == [30, 6, None]
    assert report.rate_pct == 40 and report.worst is report.steps[0]  # most stopped after opening
    assert [(d.key, d.share_pct) for d in f.devices] == [("phone", 80), ("tablet", 0), ("desktop", 20)]
    assert [(x.key, str(x.label), x.share_pct) for x in f.languages] == [("en", "Английский", 5)]
    assert [(t.label, t.value) for t in f.terms] == [("вывоз ёлок", 4)]
    assert [(s.key, str(s.label), s.value) for s in f.searches] == [("news", "Новости и плановые работы", 7)]
    assert len(f.daily) == 31 and f.busiest == 60


@pytest.mark.parametrize(
    "role", [User.Role.MODERATOR, User.Role.EXECUTOR, User.Role.CITY_ADMIN, User.Role.AUDITOR]
)
def test_officials_and_auditors_read_the_report(may_and_april, role):
    page = official(role).get("/backoffice/demand/2026-05/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "вывоз ёлок" in html and "+100" in html


def test_residents_and_strangers_do_not(may_and_april):
    assert official(User.Role.CITIZEN).get("/backoffice/demand/2026-05/").status_code == 403
    anonymous = Client().get("/backoffice/demand/2026-05/")
    assert anonymous.status_code == 302 and "/account/" in anonymous["Location"]
    assert Client().get("/backoffice/demand/2026-05.pdf").status_code == 302


def test_the_report_opens_on_the_current_month(may_and_april):
    answer = official(User.Role.AUDITOR).get("/backoffice/demand/")
    assert answer.status_code == 302 and answer["Location"].endswith("/backoffice/demand/2026-06/")


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "1999-12", "2026-07", "9999-01"])
def test_a_month_that_is_not_a_past_month_is_404(may_and_april, month):
    client = official(User.Role.AUDITOR)
    assert client.get(f"/backoffice/demand/{month}/").status_code == 404
    assert client.get(f"/backoffice/demand/{month}.pdf").status_code == 404


@pytest.mark.parametrize("path", ["2026-5/", "may/", "2026-05-01/", "2026-05/../"])
def test_a_malformed_month_is_404(may_and_april, path):
    assert official(User.Role.AUDITOR).get(f"/backoffice/demand/{path}").status_code == 404


def test_hostile_search_text_renders_as_text(june):
    put(june, "2026-05-03", "search_term", "news:<script>alert(1)</script>", 3)
    html = official(User.Role.AUDITOR).get("/backoffice/demand/2026-05/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_an_empty_month_says_so(june):
    html = official(User.Role.AUDITOR).get("/backoffice/demand/2026-02/").content.decode()
    assert "В этом месяце посещений не учтено." in html


def test_the_worker_keeps_last_months_pdf_once(may_and_april):
    assert demand_reports.call() == 1
    assert demand_reports.call() == 0  # idempotent: the month's report exists
    kept = DemandReport.objects.get(municipality=may_and_april, month=dt.date(2026, 5, 1))
    assert bytes(kept.pdf).startswith(b"%PDF")
    download = official(User.Role.MODERATOR).get("/backoffice/demand/2026-05.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content if download.streaming else [download.content]).startswith(
        b"%PDF"
    )
    assert official(User.Role.AUDITOR, None).get("/backoffice/demand/2026-04.pdf").status_code == 404


def test_the_pdf_holds_the_figures(may_and_april):
    report = services.demand_report_store(municipality=may_and_april, month=dt.date(2026, 5, 1))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(report.pdf))).pages)
    assert "вывоз ёлок" in text and "100" in text


def test_a_month_not_starting_on_its_first_day_is_refused(june):
    with pytest.raises(ValueError):
        services.demand_report_store(municipality=june, month=dt.date(2026, 5, 2))


def test_officials_see_their_own_citys_report_whatever_the_host(june, settings):
    """An account's municipality decides, never the host (as in the back office): staff of the test city
    asking on Petrozavodsk's host name see the test city's figures, and cannot fetch its PDF."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "ptz.gorod.example"]
    ptz = city_import_file(PETROZAVODSK_FILE)
    put(june, "2026-05-03", "search_term", "news:наш город", 3)
    put(ptz, "2026-05-03", "search_term", "news:онежская набережная", 3)
    DemandReport.objects.create(municipality=ptz, month=dt.date(2026, 5, 1), pdf=b"%PDF-ptz")
    client = official(User.Role.AUDITOR, municipality=june)
    html = client.get("/backoffice/demand/2026-05/", HTTP_HOST="ptz.gorod.example").content.decode()
    assert "наш город" in html and "онежская" not in html
    assert client.get("/backoffice/demand/2026-05.pdf", HTTP_HOST="ptz.gorod.example").status_code == 404
    theirs = official(User.Role.MODERATOR, municipality=ptz).get("/backoffice/demand/2026-05/")
    assert "онежская" in theirs.content.decode() and "наш город" not in theirs.content.decode()


def test_the_report_page_reads_in_a_few_queries(may_and_april, django_assert_max_num_queries):
    client = official(User.Role.AUDITOR)
    client.get("/backoffice/demand/2026-05/")  # sessions, caches
    with django_assert_max_num_queries(16):
        assert client.get("/backoffice/demand/2026-05/").status_code == 200


def test_the_report_job_is_on_the_worker_timetable(settings):
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    assert ("gorod.analytics.tasks.demand_reports", 3600) in settings.GOROD_PERIODIC_JOBS
    assert isinstance(import_string("gorod.analytics.tasks.demand_reports"), Task)


# db_worker closes connections between tasks, which would end a test's wrapping transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_last_months_report(city):
    from django.core.management import call_command

    put(city, f"{selectors.previous_month(selectors.current_month(city)):%Y-%m}-02", "device", "phone", 12)
    call_command("worker", batch=True, interval=0, verbosity=0)
    kept = DemandReport.objects.get(municipality=city)
    assert kept.month == selectors.previous_month(selectors.current_month(city))
    assert bytes(kept.pdf).startswith(b"%PDF")


def test_making_a_pdf_leaves_truncated_uploads_refused(may_and_april):
    """WeasyPrint's import switches on Pillow's LOAD_TRUNCATED_IMAGES process-wide; after a report is
    made, a photo cut short must still be refused by the upload pipeline."""
    from PIL import Image

    from gorod.core.images import PhotoRejected, clean_photo

    services.demand_report_store(municipality=may_and_april, month=dt.date(2026, 5, 1))
    out = io.BytesIO()
    Image.effect_noise((64, 64), 64).convert("RGB").save(out, format="PNG")
    with pytest.raises(PhotoRejected):
        clean_photo(out.getvalue()[: len(out.getvalue()) // 2])
