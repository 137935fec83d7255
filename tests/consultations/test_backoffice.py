"""Staff manage projects in the back office: city administrators write, other staff read, residents are
kept out; every action goes through one service and a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gorod.accounts.models import User
from gorod.consultations.models import Document, Event, Phase, Project, Update
from tests.consultations.conftest import PARK
from tests.helpers import login_verified


@pytest.fixture
def staff_client(db, city):
    def make(role: str) -> Client:
        user = User.objects.create_user(
            username=f"s-{role}", password="x-pass-12345", role=role, email=f"{role}@example.org"
        )
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if role == User.Role.CITIZEN:
            client.force_login(user)
            return client
        return login_verified(client, user)

    return make


def test_an_admin_sets_up_a_project_end_to_end(staff_client, city, frozen_spring, pdf_bytes):
    admin = staff_client("city_admin")
    response = admin.post(
        "/backoffice/projects/new/",
        {
            "slug": "park",
            "title": "Park",
            "topic": "parks",
            "area": '{"type": "Point", "coordinates": [30.3, 59.97]}',
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(slug="park")
    assert project.published and project.center_lat == pytest.approx(59.97)
    base = "/backoffice/projects/park/"
    admin.post(
        base + "phase-add/", {"title": "Ideas", "starts": "2026-05-01T10:00", "ends": "2026-06-01T10:00"}
    )
    assert Phase.objects.filter(project=project, title="Ideas").exists()
    phase = Phase.objects.get(project=project)
    admin.post(base + "module-add/", {"phase": phase.pk, "kind": "information", "title": "How it works"})
    assert phase.modules.count() == 1
    admin.post(base + "update/", {"title": "Kick-off", "body": "We start."})
    assert Update.objects.filter(project=project).count() == 1
    admin.post(
        base + "document-add/",
        {"title": "Plan", "pdf": SimpleUploadedFile("plan.pdf", pdf_bytes, "application/pdf")},
    )
    assert Document.objects.get(project=project).page_count == 2
    admin.post(
        base + "event-add/", {"title": "Walk", "starts": "2026-05-20T18:00", "ends": "2026-05-20T20:00"}
    )
    assert Event.objects.filter(project=project).exists()
    admin.post(base + "final-report/", {"final_report": "We heard: benches."})
    project.refresh_from_db()
    assert project.final_report_published is not None
    page = admin.get(base)
    assert page.status_code == 200 and "How it works" in page.content.decode()


def test_refusals_come_back_as_messages_and_change_nothing(staff_client, city, frozen_spring):
    admin = staff_client("city_admin")
    bad_area = admin.post(
        "/backoffice/projects/new/",
        {
            "slug": "x",
            "title": "X",
            "topic": "parks",
            "area": '{"type": "Point", "coordinates": [37.6, 55.7]}',
        },
    )
    assert bad_area.status_code == 200 and "outside the city" in bad_area.content.decode()
    admin.post("/backoffice/projects/new/", {"slug": "park", "title": "Park", "topic": "parks", "area": ""})
    base = "/backoffice/projects/park/"
    page = admin.post(
        base + "phase-add/",
        {"title": "Bad", "starts": "2026-06-01T10:00", "ends": "2026-05-01T10:00"},
        follow=True,
    )
    assert "end after it starts" in page.content.decode() and not Phase.objects.exists()
    page = admin.post(
        base + "document-add/",
        {"title": "Bad", "pdf": SimpleUploadedFile("x.pdf", b"<script>", "application/pdf")},
        follow=True,
    )
    assert "not a PDF" in page.content.decode() and not Document.objects.exists()
    page = admin.post(base + "edit/", {"slug": "other", "title": "Park", "topic": "parks"}, follow=True)
    assert "cannot change" in page.content.decode()
    assert admin.post(base + "no-such-action/").status_code == 404


def test_an_oversized_upload_is_refused_while_it_streams(staff_client, city, settings, pdf_bytes):
    settings.GOROD_DOCUMENT_MAX_BYTES = 100
    admin = staff_client("city_admin")
    admin.post("/backoffice/projects/new/", {"slug": "park", "title": "Park", "topic": "parks"})
    page = admin.post(
        "/backoffice/projects/park/document-add/",
        {"title": "Big", "pdf": SimpleUploadedFile("p.pdf", pdf_bytes)},
        follow=True,
    )
    assert "larger than" in page.content.decode() and not Document.objects.exists()


@pytest.mark.parametrize("role", ["moderator", "executor", "auditor"])
def test_other_staff_read_but_do_not_write(staff_client, make_project, role):
    make_project(slug="park")
    client = staff_client(role)
    page = client.get("/backoffice/projects/park/")
    assert page.status_code == 200 and "only a city administrator changes it" in page.content.decode()
    assert client.post("/backoffice/projects/park/update/", {"title": "x", "body": "y"}).status_code == 403
    assert client.get("/backoffice/projects/new/").status_code == 403
    assert not Update.objects.exists()


def test_residents_are_kept_out(staff_client, make_project):
    make_project(slug="park")
    citizen = staff_client("citizen")
    assert citizen.get("/backoffice/projects/").status_code in (302, 403)
    assert citizen.post("/backoffice/projects/park/update/", {"title": "x", "body": "y"}).status_code in (
        302,
        403,
    )
    assert not Update.objects.exists()


def test_actions_need_the_csrf_token(make_project, city):
    make_project(slug="park")
    user = User.objects.create_user(username="boss2", password="x-pass-12345", role="city_admin")
    client = login_verified(Client(enforce_csrf_checks=True), user)
    assert client.post("/backoffice/projects/park/update/", {"title": "x", "body": "y"}).status_code == 403
    assert client.post("/backoffice/projects/park/document-add/", {"title": "x"}).status_code == 403
    assert not Update.objects.exists()


def test_the_area_round_trips_through_the_edit_form(staff_client, make_project):
    make_project(slug="park", area=PARK)
    html = staff_client("city_admin").get("/backoffice/projects/park/").content.decode()
    assert "30.25" in html and "Polygon" in html
