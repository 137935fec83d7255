"""Engagement projects in a real browser: the project page (map with its fallback, timeline, documents,
events, follow), the list, and the back office's project page; axe finds no serious violation in Russian
or English; screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.consultations import services
from gorod.consultations.models import Follower
from gorod.core import clock
from gorod.demo.consultations.pdf import make_pdf
from tests.consultations.conftest import PARK
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def project(city):
    now = clock.now()
    admin = staff_user("boss", "city_admin")
    project = services.project_create(
        municipality=city,
        slug="park",
        title='Новый облик парка "><img src=x onerror=alert(1)>',
        summary="Город спрашивает жителей, каким должен стать парк.",
        description="## Что обсуждаем\n\n- дорожки\n- площадки\n\n<script>alert(1)</script>",
        district=city.districts.get(slug="north"),
        topic="parks",
        area=PARK,
        published=True,
        phase_list=[
            services.NewPhase(
                title="Сбор идей", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=10)
            ),
            services.NewPhase(
                title="Итоги", starts=now + dt.timedelta(days=10), ends=now + dt.timedelta(days=20)
            ),
        ],
    )
    services.module_add(phase=project.phase_list()[0], kind="information", title="Как участвовать")
    services.update_publish(
        project=project, title="Начался сбор идей", body="Приходите на встречу.", author=admin
    )
    services.document_add(
        project=project, title="Эскиз", data=make_pdf([["Draft plan", "Paths"], ["Page 2"]])
    )
    services.event_add(
        project=project,
        title="Прогулка по парку",
        starts=now + dt.timedelta(days=2),
        ends=now + dt.timedelta(days=2, hours=2),
        place="Главный вход",
    )
    return project


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_project_pages_work_and_are_accessible(page, project, language):
    if language == "en":
        page.goto("/")
        page.locator(
            "form[action*='setlang'] button[value='en'], form[action*='setlang'] [type=submit]"
        ).first.click()
    axe = Axe()
    page.goto("/projects/park/")
    # Tiles cannot load here (no internet): the map says so and still draws the area over the districts.
    page.locator("#area-map[data-drawn='1']").wait_for()
    page.locator("#area-map .map-tiles-note").wait_for()
    assert page.locator("#area-map path.leaflet-interactive, #area-map path").count() >= 1
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text().startswith("Новый облик парка")  # the hostile tail is text
    assert page.locator(".cp-phase-open").count() == 1
    assert _serious(axe.run(page)) == [], "project page"
    screenshot(page, f"consultations-project-{language}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"consultations-project-{language}-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    for url in (
        "/projects/",
        "/projects/?status=active&district=north",
        f"/projects/park/documents/{project.documents.get().pk}/",
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert _serious(axe.run(page)) == [], url
    screenshot(page, f"consultations-document-{language}")
    page.goto("/projects/")
    page.locator("#projects-map[data-drawn='1']").wait_for()
    page.locator("#projects-map path.leaflet-interactive").first.click()  # a project's dot opens its page
    page.wait_for_url("**/projects/park/")
    page.goto("/projects/")
    screenshot(page, f"consultations-list-{language}")


def test_a_resident_follows_by_email(page, project):
    page.goto("/projects/park/")
    page.fill("#follow-email", "olga@example.org")
    page.locator("#follow button[type=submit]").click()
    page.locator(".messages").wait_for()
    assert Follower.objects.filter(project=project).count() == 1


def test_staff_manage_a_project_in_the_back_office(browser, live_server, project):
    admin = staff_user("admin2", "city_admin")
    context, page = signed_in_page(browser, live_server, admin)
    try:
        page.goto("/backoffice/projects/park/")
        page.fill("#update-title", "Отчёт")
        page.fill("#update-body", "Идеи собраны, спасибо!")
        page.locator("#update button[type=submit]").click()
        page.locator(".messages").wait_for()
        assert project.updates.count() == 2
        page.fill("#final-final_report", "Мы услышали: нужны скамейки. Решили: поставить 40.")
        page.locator("#final button[type=submit]").click()
        page.locator(".messages").wait_for()
        project.refresh_from_db()
        assert project.final_report_published is not None
        assert _serious(Axe().run(page)) == [], "back office"
        screenshot(page, "consultations-backoffice-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "consultations-backoffice-390")
    finally:
        context.close()
