"""The public pages: list and filters, a project's page (hostile text shown as text), documents, follow."""

from __future__ import annotations

import pytest

from gorod.consultations import services
from gorod.consultations.models import Follower
from tests.consultations.conftest import PARK

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_list_filters_by_district_status_and_topic(en_client, make_project, districts):
    make_project(slug="park", title="Park", district=districts["north"], topic="parks", state="open")
    make_project(
        slug="street", title="Street", district=districts["south"], topic="streets", state="upcoming"
    )
    make_project(slug="draft", title="Draft", published=False)

    def titles(query: str = "") -> set[str]:
        response = en_client.get("/projects/" + query)
        assert response.status_code == 200
        return {p.title for p in response.context["projects"]}

    assert titles() == {"Park", "Street"}
    assert titles("?district=north") == {"Park"}
    assert titles("?topic=streets") == {"Street"}
    assert titles("?status=active") == {"Park"}
    assert titles("?status=upcoming") == {"Street"}
    assert titles("?status=reported") == set()
    assert titles("?district=nowhere&status=bogus&topic=%00") == {"Park", "Street"}  # ignored, not a 500


def test_a_project_page_shows_everything_and_hostile_text_as_text(
    en_client, make_project, admin_user, pdf_bytes
):
    project = make_project(
        slug="park", title=HOSTILE, summary=HOSTILE, description=f"# About\n\n{HOSTILE}", area=PARK
    )
    services.update_publish(project=project, title=HOSTILE, body=HOSTILE, author=admin_user)
    services.document_add(project=project, title=HOSTILE, data=pdf_bytes)
    response = en_client.get("/projects/park/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert 'data-cp-map="area"' in html and "area-config" in html
    assert "Phase (open)" in html
    assert "/projects/park/events.ics" not in html  # no events yet: no feed link


def test_a_document_page_shows_its_page_images(en_client, make_project, pdf_bytes):
    project = make_project(slug="park")
    document = services.document_add(project=project, title="Plan", data=pdf_bytes)
    html = en_client.get(f"/projects/park/documents/{document.pk}/").content.decode()
    assert html.count("/media/projects/pages/") == 2 and "Page 2 of 2" in html
    assert en_client.get("/projects/park/documents/999999/").status_code == 404


def test_unpublished_projects_are_hidden_from_the_public_but_not_from_staff(
    en_client, make_project, admin_user
):
    make_project(slug="draft", published=False)
    assert en_client.get("/projects/draft/").status_code == 404
    en_client.force_login(admin_user)
    assert en_client.get("/projects/draft/").status_code == 200


def test_following_from_the_page(en_client, make_project, citizen):
    make_project(slug="park")
    response = en_client.post("/projects/park/follow/", {"email": "olga@example.org"}, follow=True)
    assert "confirm it first" in response.content.decode()
    bad = en_client.post("/projects/park/follow/", {"email": "nope"}, follow=True)
    assert "valid e-mail" in bad.content.decode()
    en_client.force_login(citizen)
    en_client.post("/projects/park/follow/")
    assert Follower.objects.filter(user=citizen).exists()
    assert "You follow this project" in en_client.get("/projects/park/").content.decode()
    assert en_client.get("/projects/park/follow/").status_code == 405


def test_the_home_page_shows_projects(en_client, make_project):
    make_project(slug="park", title="Park of the future")
    html = en_client.get("/").content.decode()
    assert "Park of the future" in html and "/projects/park/" in html


def test_following_is_rate_limited_like_reports_follows(en_client, make_project, write_limits):
    write_limits.GOROD_RATE_LIMITS = {**write_limits.GOROD_RATE_LIMITS, "follow": "2/10m"}
    make_project(slug="park")
    codes = [
        en_client.post("/projects/park/follow/", {"email": f"p{i}@example.org"}).status_code for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Follower.objects.count() == 2
