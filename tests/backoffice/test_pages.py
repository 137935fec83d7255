"""The back-office pages over HTTP: who lands where, what each role sees, filters, bulk actions, and
the query counts of the list pages (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gorod.city.models import Category, ResponseTemplate
from gorod.core import clock
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.services import moderation
from gorod.reports.workflow import Status
from tests.backoffice.states import bring_to
from tests.conftest import MSK, make_jpeg

pytestmark = pytest.mark.django_db
LATER = dt.datetime(2026, 6, 10, 10, 0, tzinfo=MSK)  # weeks after SPRING_DAY: everything is overdue


@pytest.mark.parametrize(
    "role, where",
    [
        ("moderator", "/backoffice/moderation/"),
        ("executor", "/backoffice/queue/"),
        ("head", "/backoffice/queue/"),
    ],
)
def test_home_sends_each_role_to_its_work(role, where, client_for, city):
    response = client_for(role).get("/backoffice/")
    assert response.status_code == 302 and response["Location"] == where


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_admin_and_auditor_get_the_overview(role, client_for, file_report, frozen_spring):
    file_report()
    response = client_for(role).get("/backoffice/")
    assert response.status_code == 200
    assert response.context["submitted"] == 1


def test_citizens_and_strangers_are_kept_out(client_for, client, city):
    assert client_for("citizen").get("/backoffice/queue/").status_code == 403
    response = client.get("/backoffice/queue/")
    assert response.status_code == 302 and "next=" in response["Location"]


def test_moderation_queue_shows_days_left_and_overdue(client_for, file_report, frozen_spring):
    early = file_report(description="Старое сообщение")
    with clock.frozen(LATER):
        fresh = file_report(description="Новое сообщение")
        response = client_for("moderator").get("/backoffice/moderation/")
    rows = {row["report"].pk: row["left"] for row in response.context["rows"]}
    assert rows[early.pk] < 0 and rows[fresh.pk] >= 0
    assert list(rows) == [early.pk, fresh.pk]  # most urgent first
    assert response.content.decode().count('class="bo-overdue"') == 1
    assert client_for("executor").get("/backoffice/moderation/").status_code == 403


def test_accept_from_the_queue_returns_to_it(client_for, file_report, frozen_spring):
    report = file_report()
    response = client_for("moderator").post(
        f"/backoffice/reports/{report.pk}/accept/", {"next": "/backoffice/moderation/"}
    )
    assert response.status_code == 302 and response["Location"] == "/backoffice/moderation/"
    assert Report.objects.get(pk=report.pk).status == Status.ACCEPTED
    # An outside "next" is ignored.
    other = file_report()
    response = client_for("moderator").post(
        f"/backoffice/reports/{other.pk}/accept/", {"next": "https://evil.example/backoffice/"}
    )
    assert response["Location"] == f"/backoffice/reports/{other.pk}/"


def test_accept_with_corrections_over_http(client_for, file_report, frozen_spring):
    report = file_report()
    litter = Category.objects.get(service_code="litter")
    response = client_for("moderator").post(
        f"/backoffice/reports/{report.pk}/accept/",
        {
            "edit": "1",
            "category": litter.pk,
            "lat": "59,9",
            "lon": "30.3",
            "address": "",
            "description": "Мусор",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.category, report.department.slug, report.description) == (litter, "south-yards", "Мусор")
    bad = file_report()
    response = client_for("moderator").post(
        f"/backoffice/reports/{bad.pk}/accept/", {"edit": "1", "lat": "abc", "lon": "30.3"}
    )
    assert response.status_code == 409
    assert "59.95" in response.content.decode()  # the message shows a coordinate of this city
    assert Report.objects.get(pk=bad.pk).status == Status.SUBMITTED


def test_contact_details_only_for_those_allowed(client_for, file_report, frozen_spring):
    report = bring_to(file_report(contact_email="ivan@example.org"), "accepted")
    # Shown when asked for (the look is audited: tests/backoffice/test_audit_trail.py).
    reveal = f"/backoffice/reports/{report.pk}/contacts/"
    assert "ivan@example.org" in client_for("moderator").post(reveal).content.decode()
    assert "ivan@example.org" in client_for("executor").post(reveal).content.decode()
    assert client_for("auditor").post(reveal).status_code == 403
    page = client_for("auditor").get(f"/backoffice/reports/{report.pk}/")
    assert page.status_code == 200 and "ivan@example.org" not in page.content.decode()
    assert "Иван Петров" not in page.content.decode()
    assert b"<form" not in page.content.split(b'class="bo-report-actions"')[1]  # read-only for auditors
    assert client_for("other_executor").get(f"/backoffice/reports/{report.pk}/").status_code == 404


def test_detail_shows_private_history_changes_and_hidden_photos(
    staff, client_for, file_report, frozen_spring
):
    report = file_report(photos=[make_jpeg()], show_name=True)
    moderation.photo_set_hidden(photo=report.photos.get(), actor=staff["moderator"], hidden=True)
    moderation.report_hide_personal_data(report=report, actor=staff["moderator"], description="Яма [скрыто]")
    moderation.report_add_note(report=report, actor=staff["moderator"], text="Проверить <b>завтра</b>")
    html = client_for("admin").get(f"/backoffice/reports/{report.pk}/").content.decode()
    assert "bo-photo-hidden" in html
    assert "Глубокая яма у дома 5" in html  # the original, in the private history's diff
    assert "Проверить &lt;b&gt;завтра&lt;/b&gt;" in html
    assert "<b>завтра</b>" not in html


def test_hostile_template_and_report_text_render_as_text(staff, client_for, file_report, frozen_spring, city):
    ResponseTemplate.objects.create(
        municipality=city,
        action="start",
        title="<img src=x onerror=alert(1)>",
        text="<script>alert({id})</script> {address}",
    )
    report = bring_to(file_report(description="<script>alert(2)</script>", address="<i>дом</i>"), "accepted")
    html = client_for("executor").get(f"/backoffice/reports/{report.pk}/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<i>дом</i>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    template = ResponseTemplate.objects.get(action="start", title__startswith="<img")
    response = client_for("executor").post(
        f"/backoffice/reports/{report.pk}/act/", {"action": "start", "template": template.pk}
    )
    assert response.status_code == 302
    event = ReportEvent.objects.get(report=report, action="start")
    assert event.public_note == f"<script>alert({report.pk})</script> <i>дом</i>"  # stored as plain text
    public = client_for("citizen").get(f"/reports/{report.pk}/").content.decode()
    assert "<script>alert" not in public


def test_resolve_with_a_proof_photo_over_http(client_for, file_report, frozen_spring, settings):
    report = bring_to(file_report(), "in_progress")
    client = client_for("executor")
    response = client.post(
        f"/backoffice/reports/{report.pk}/act/", {"action": "resolve", "public_note": "Заделали"}
    )
    assert response.status_code == 409  # pothole: a photo of the fix is required
    response = client.post(
        f"/backoffice/reports/{report.pk}/act/",
        {
            "action": "resolve",
            "public_note": "Заделали",
            "proof": SimpleUploadedFile("x.jpg", b"not an image"),
        },
    )
    assert response.status_code == 409
    settings.GOROD_PHOTO_MAX_BYTES = 1000
    response = client.post(
        f"/backoffice/reports/{report.pk}/act/",
        {"action": "resolve", "public_note": "Заделали", "proof": SimpleUploadedFile("x.jpg", make_jpeg())},
    )
    assert response.status_code == 409 and Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS
    settings.GOROD_PHOTO_MAX_BYTES = 10 << 20
    response = client.post(
        f"/backoffice/reports/{report.pk}/act/",
        {"action": "resolve", "public_note": "Заделали", "proof": SimpleUploadedFile("x.jpg", make_jpeg())},
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).status == Status.RESOLVED
    assert Photo.objects.filter(report=report, kind=Photo.Kind.PROOF).count() == 1


def test_answer_moderation_over_http(staff, client_for, file_report, frozen_spring):
    report = bring_to(
        file_report(category=Category.objects.get(service_code="litter"), attributes={}), "in_progress"
    )
    client_for("other_executor").post(
        f"/backoffice/reports/{report.pk}/act/", {"action": "resolve", "public_note": "Убрали"}
    )
    event = ReportEvent.objects.get(report=report, action="resolve")
    assert event.note_state == "pending"
    page = client_for("moderator").get("/backoffice/moderation/")
    assert [a["event"].pk for a in page.context["answers"]] == [event.pk]
    response = client_for("moderator").post(
        f"/backoffice/reports/{report.pk}/publish/", {"event": event.pk, "answer_text": "Убрали 13 мая"}
    )
    assert response.status_code == 302
    assert ReportEvent.objects.get(pk=event.pk).public_note == "Убрали 13 мая"
    # Another report's event cannot be published through this report's URL.
    other = file_report()
    response = client_for("moderator").post(f"/backoffice/reports/{other.pk}/publish/", {"event": event.pk})
    assert response.status_code == 409


# --- department queue ---------------------------------------------------------------------------------------
def test_department_queue_shows_only_the_department_with_days_left(client_for, file_report, frozen_spring):
    ours = bring_to(file_report(), "accepted")
    bring_to(file_report(category=Category.objects.get(service_code="litter"), attributes={}), "accepted")
    response = client_for("executor").get("/backoffice/queue/?department=999")  # ignored for department staff
    assert [row["report"].pk for row in response.context["rows"]] == [ours.pk]
    assert response.context["rows"][0]["left"] > 0
    with clock.frozen(LATER):
        response = client_for("executor").get("/backoffice/queue/?overdue=1")
    assert [row["report"].pk for row in response.context["rows"]] == [ours.pk]
    assert 'class="bo-overdue"' in response.content.decode()


def test_queue_filters_sort_and_search(staff, client_for, file_report, frozen_spring):
    a = bring_to(file_report(description="Яма у школы"), "accepted")
    b = bring_to(file_report(description="Яма у рынка"), "in_progress")
    c = bring_to(file_report(description="Яма у рынка", lat=59.9), "accepted")
    moderation.report_assign(report=a, actor=staff["head"], assignee=staff["executor"])
    client = client_for("head")

    def ids(query):
        response = client.get("/backoffice/queue/?" + query)
        assert response.status_code == 200
        return [row["report"].pk for row in response.context["rows"]]

    assert set(ids("")) == {a.pk, b.pk, c.pk}
    assert ids("status=in_progress") == [b.pk]
    assert set(ids("q=рынка")) == {b.pk, c.pk}
    assert ids(f"q=%23{a.pk}") == [a.pk]
    assert ids(f"assignee={staff['executor'].pk}") == [a.pk]
    assert set(ids("assignee=none")) == {b.pk, c.pk}
    south = c.district_id
    assert ids(f"district={south}") == [c.pk]
    assert ids("sort=-created") == [c.pk, b.pk, a.pk]
    # Nonsense is dropped, never a 500.
    assert set(ids("status=<x>&sort=evil&category=abc&district=99999999999999999999&page=-1&assignee=x")) <= {
        a.pk, b.pk, c.pk,
    }  # fmt: skip


def test_bulk_actions_report_each_item(staff, client_for, file_report, frozen_spring):
    accepted = bring_to(file_report(), "accepted")
    resolved = bring_to(file_report(), "resolved")
    foreign = bring_to(
        file_report(category=Category.objects.get(service_code="litter"), attributes={}), "accepted"
    )
    template = ResponseTemplate.objects.get(action="start")
    response = client_for("executor").post(
        "/backoffice/queue/bulk/",
        {
            "ids": [accepted.pk, resolved.pk, foreign.pk],
            "op": "act",
            "action": "start",
            "template": template.pk,
        },
    )
    assert response.status_code == 200
    outcomes = {o.report_id: o.ok for o in response.context["outcomes"]}
    assert outcomes == {accepted.pk: True, resolved.pk: False, foreign.pk: False}
    assert Report.objects.get(pk=accepted.pk).status == Status.IN_PROGRESS
    assert Report.objects.get(pk=resolved.pk).status == Status.RESOLVED
    assert Report.objects.get(pk=foreign.pk).status == Status.ACCEPTED
    note = ReportEvent.objects.get(report=accepted, action="start").public_note
    assert note.startswith(f"Работы по сообщению №{accepted.pk} («Яма на дороге») начаты")
    # Executors cannot assign, even in bulk; heads can.
    response = client_for("executor").post(
        "/backoffice/queue/bulk/", {"ids": [accepted.pk], "op": "assign", "assignee": staff["executor"].pk}
    )
    assert [o.ok for o in response.context["outcomes"]] == [False]
    response = client_for("head").post(
        "/backoffice/queue/bulk/", {"ids": [accepted.pk], "op": "assign", "assignee": staff["executor"].pk}
    )
    assert [o.ok for o in response.context["outcomes"]] == [True]
    assert client_for("head").post("/backoffice/queue/bulk/", {"op": "nonsense"}).status_code == 400


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "role, url",
    [
        ("head", "/backoffice/queue/?status=all"),
        ("admin", "/backoffice/queue/?status=all"),
        ("moderator", "/backoffice/moderation/"),
    ],
)
def test_list_pages_take_the_same_queries_for_3_or_30_rows(
    role, url, staff, client_for, file_report, frozen_spring, django_assert_num_queries
):
    def add(n):
        for _i in range(n):
            report = file_report(photos=[])
            if "queue" in url:
                report = bring_to(report, "accepted")
                moderation.report_assign(report=report, actor=staff["head"], assignee=staff["executor"])

    client = client_for(role)
    add(3)
    few = _count_queries(client, url)
    add(27)
    with django_assert_num_queries(few):
        client.get(url)
    assert few <= 20
