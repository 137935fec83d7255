"""Map feedback over HTTP: the module page and its form (with the typed-coordinates fallback), agree,
the heatmap and the export as GeoJSON, the staff page (paper responses, questions, moderation) and who
may see it, rate limits, and pinned query counts."""

from __future__ import annotations

import itertools

import pytest

from gorod.consultations.map_feedback import services
from gorod.consultations.map_feedback.models import MapAgreement, MapContribution
from gorod.consultations.models import Module
from tests.consultations.test_map_feedback import add, person, point
from tests.helpers import login_verified, post_past_the_limit
from tests.query_counts import assert_pinned, get, growing

pytestmark = pytest.mark.usefixtures("english")
counter = itertools.count()


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def module(make_project):
    from gorod.consultations import services as project_services

    project = make_project(slug="park")
    return project_services.module_add(phase=project.phase_list()[0], kind="map_feedback", title="Карта")


def url(module: Module, tail: str = "") -> str:
    return f"/projects/park/map/{module.pk}/{tail}"


def test_the_project_page_links_to_the_map(client, module):
    page = client.get("/projects/park/").content.decode()
    assert url(module) in page


def test_a_resident_contributes_with_typed_coordinates(client, module, citizen):
    client.force_login(citizen)
    response = client.post(
        url(module), {"lat": "59.985", "lon": "30.26", "sentiment": "2", "comment": "Лужа"}
    )
    assert response.status_code == 302
    contribution = MapContribution.objects.get()
    assert (contribution.sentiment, contribution.comment, contribution.author) == (2, "Лужа", citizen)
    page = client.get(url(module)).content.decode()
    assert "Лужа" in page and "Thank you" in page


def test_bad_input_comes_back_with_the_message_and_the_typed_values(client, module, citizen):
    client.force_login(citizen)
    response = client.post(
        url(module), {"lat": "55.75", "lon": "37.61", "sentiment": "3", "comment": "мой текст"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "outside the city" in page and "мой текст" in page and 'value="55.75"' in page
    assert MapContribution.objects.count() == 0


def test_signed_out_posts_go_to_sign_in_and_save_nothing(client, module):
    response = client.post(url(module), {"lat": "59.985", "lon": "30.26", "sentiment": "3"})
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert "Sign in to take part" in client.get(url(module)).content.decode()
    assert MapContribution.objects.count() == 0


def test_a_closed_phase_shows_why_and_refuses(client, make_project, citizen):
    from gorod.consultations import services as project_services

    project = make_project(slug="old", state="closed")
    module = project_services.module_add(phase=project.phase_list()[0], kind="map_feedback", title="Карта")
    client.force_login(citizen)
    page = client.get(f"/projects/old/map/{module.pk}/").content.decode()
    assert "closed on" in page and 'name="sentiment"' not in page
    response = client.post(
        f"/projects/old/map/{module.pk}/", {"lat": "59.985", "lon": "30.26", "sentiment": "3"}
    )
    assert response.status_code == 400 and "closed on" in response.content.decode()
    assert MapContribution.objects.count() == 0


def test_agree_over_http_once(client, module, citizen):
    contribution = add(module, person("boris"))
    client.force_login(citizen)
    client.post(url(module, f"{contribution.pk}/agree/"))
    response = client.post(url(module, f"{contribution.pk}/agree/"), follow=True)
    assert "already agreed" in response.content.decode()
    assert MapAgreement.objects.count() == 1
    assert client.post(url(module, "999999/agree/")).status_code == 404


def test_heatmap_and_export_are_geojson(client, module, citizen):
    add(module, citizen, sentiment=5)
    heat = client.get(url(module, "heatmap.geojson?res=banana"))
    assert heat["Content-Type"] == "application/geo+json"
    assert heat.json()["features"][0]["properties"]["count"] == 1
    export = client.get(url(module, "contributions.geojson"))
    assert export["Content-Type"] == "application/geo+json"
    assert "attachment" in export["Content-Disposition"]
    assert len(export.json()["features"]) == 1


def test_other_kinds_and_unknown_modules_are_404(client, module):
    from gorod.consultations import services as project_services

    info = project_services.module_add(phase=module.phase, kind="information", title="Как")
    assert client.get(url(info)).status_code == 404
    assert client.get("/projects/park/map/999999/heatmap.geojson").status_code == 404


def test_staff_enter_paper_set_questions_and_hide(client, module, admin_user, citizen):
    client.force_login(citizen)
    assert client.get(url(module, "staff/")).status_code == 403
    client.force_login(admin_user)
    assert client.get(url(module, "staff/")).status_code == 302  # the second factor first
    login_verified(client, admin_user)
    assert client.get(url(module, "staff/")).status_code == 200
    client.post(
        url(module, "staff/"),
        {"action": "settings", "questions": "Что?\nКак? | Так | Иначе", "tag_list": "свет"},
    )
    module.refresh_from_db()
    assert [q["kind"] for q in module.settings["questions"]] == ["text", "choice"]
    response = client.post(
        url(module, "staff/"),
        {"action": "paper", "lat": "59.985", "lon": "30.26", "sentiment": "1", "q2": "Так", "tags": "свет"},
    )
    assert response.status_code == 302
    paper = MapContribution.objects.get()
    assert paper.paper and paper.entered_by == admin_user and paper.answers == {"q2": "Так"}
    assert (
        client.post(
            url(module, "staff/"), {"action": "hide", "contribution": paper.pk, "reason": ""}
        ).status_code
        == 400
    )
    client.post(url(module, "staff/"), {"action": "hide", "contribution": paper.pk, "reason": "дубль"})
    assert MapContribution.objects.get().hidden_reason == "дубль"
    assert client.post(url(module, "staff/"), {"action": "bogus"}).status_code == 400
    manage = client.get("/backoffice/projects/park/").content.decode()
    assert url(module, "staff/") in manage


def test_contributions_and_agrees_are_rate_limited(client, write_limits, module, citizen):
    client.force_login(citizen)
    post_past_the_limit(client, url(module), "contribution", {"sentiment": "x"})
    contribution = add(module, person("boris"))
    post_past_the_limit(client, url(module, f"{contribution.pk}/agree/"), "contribution_vote")


def test_the_module_page_and_heatmap_are_pinned(client, module, citizen):
    def more(k: int) -> None:
        for _ in range(k):
            n = next(counter)
            c = add(
                module, person(f"p{n}"), geometry=point(59.982 + (n % 7) * 0.001, 30.255 + (n % 5) * 0.002)
            )
            services.agree(contribution=c, user=citizen)

    client.force_login(citizen)
    # Session and user, the city, the module with its phase and project, the latest contributions (with
    # "you agree"), the counts, and whether the viewer is banned (once for the form, once for agreeing).
    # The heatmap: session, user, city, module, one GROUP BY.
    assert_pinned(8, growing(more, get(client, url(module))))
    assert_pinned(5, growing(more, get(client, url(module, "heatmap.geojson"))))
