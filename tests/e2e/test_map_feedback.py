"""Map feedback in a real browser, with no tiles (the machine is offline, so the map shows its fallback):
a resident pins a point, chooses a sentiment, answers and tags, then draws an area and agrees with
someone else's contribution; staff type a paper response by latitude and longitude and hide one with a
reason; axe finds no serious violation in Russian or English; screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.consultations import services as project_services
from gorod.consultations.map_feedback import services
from gorod.consultations.map_feedback.models import MapAgreement, MapContribution
from gorod.core import clock
from tests.consultations.conftest import PARK
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user
from tests.e2e.test_consultations import _serious

pytestmark = pytest.mark.django_db(transaction=True)
HOSTILE = '<img src=x onerror="document.title=1">'


@pytest.fixture
def module(city):
    now = clock.now()
    admin = staff_user("boss", "city_admin")
    project = project_services.project_create(
        municipality=city,
        slug="park",
        title="Новый облик парка",
        district=city.districts.get(slug="north"),
        topic="parks",
        area=PARK,
        published=True,
        phase_list=[
            project_services.NewPhase(
                title="Сбор отзывов", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=10)
            )
        ],
    )
    module = project_services.module_add(
        phase=project.phase_list()[0], kind="map_feedback", title="Отметьте на карте"
    )
    services.settings_set(
        module=module,
        staff=admin,
        questions_text="Что здесь происходит?\nЧего не хватает? | Скамеек | Света | Деревьев",
        tags_text="дорожки, освещение, " + HOSTILE,
    )
    neighbour = staff_user("olga", "citizen")
    for lat, lon, sentiment in [(59.985, 30.26, 1), (59.983, 30.257, 4), (59.988, 30.266, 5)]:
        services.contribution_add(
            module=module,
            user=neighbour,
            geometry={"type": "Point", "coordinates": [lon, lat]},
            sentiment=sentiment,
            comment="Тёмная аллея " + HOSTILE,
        )
    return module


def _to_english(page) -> None:
    page.goto("/")
    page.locator(
        "form[action*='setlang'] button[value='en'], form[action*='setlang'] [type=submit]"
    ).first.click()


def test_a_resident_pins_a_point_draws_an_area_and_agrees(browser, live_server, module):
    resident = staff_user("anna", "citizen")
    context, page = signed_in_page(browser, live_server, resident)
    page.goto(f"/projects/park/map/{module.pk}/")
    page.locator("#mf-map[data-drawn='1']").wait_for()
    assert page.locator("#mf-map path.leaflet-interactive").count() >= 1  # the heatmap's hexagons
    box = page.locator("#mf-map").bounding_box()
    page.locator("#mf-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    assert page.input_value("#mf-lat") != "" and '"Point"' in page.input_value("#mf-geometry")
    page.locator("input[name=sentiment][value='2']").check()
    page.fill("#mf-q1", "Лужи после дождя")
    page.locator("input[name=q2][value='Света']").check()
    page.locator("input[name=tags][value='освещение']").check()
    page.fill("#mf-comment", "Нужны фонари " + HOSTILE)
    page.locator(".mf-form button[type=submit]").click()
    page.locator(".messages").wait_for()
    mine = MapContribution.objects.get(author=resident)
    assert (mine.shape, mine.sentiment, mine.tags) == ("point", 2, ["освещение"])
    assert mine.answers == {"q1": "Лужи после дождя", "q2": "Света"}
    assert page.title() != "1"  # the hostile text did not run

    page.locator("[data-mf-mode='area']").click()
    for dx, dy in [(-40, -30), (40, -30), (0, 40)]:
        page.locator("#mf-map").click(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2 + dy})
    assert '"Polygon"' in page.input_value("#mf-geometry")
    page.locator("input[name=sentiment][value='5']").check()
    page.locator(".mf-form button[type=submit]").click()
    page.locator(".messages").wait_for()
    assert MapContribution.objects.filter(author=resident, shape="area").count() == 1

    other = MapContribution.objects.exclude(author=resident).first()
    page.locator(f"#c{other.pk} .mf-agree button").click()
    page.locator(f"#c{other.pk} .mf-agree .hint").wait_for()
    assert MapAgreement.objects.filter(user=resident, contribution=other).count() == 1
    assert page.locator(f"#c{other.pk} .mf-agree button").count() == 0  # once each
    screenshot(page, "map-feedback-after-1280")
    context.close()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_map_pages_are_accessible(browser, live_server, page, module, language):
    if language == "en":
        _to_english(page)
    axe = Axe()
    page.goto(f"/projects/park/map/{module.pk}/")
    page.locator("#mf-map[data-drawn='1']").wait_for()
    page.locator("#mf-map .map-tiles-note").wait_for()
    assert page.locator("html").get_attribute("lang") == language
    assert _serious(axe.run(page)) == [], "map feedback page"
    screenshot(page, f"map-feedback-{language}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"map-feedback-{language}-390")

    admin = staff_user(f"admin-{language}", "city_admin")
    context, staff = signed_in_page(browser, live_server, admin)
    if language == "en":
        _to_english(staff)
    staff.goto(f"/projects/park/map/{module.pk}/staff/")
    staff.locator("#mf-map[data-drawn='1']").wait_for()
    assert _serious(axe.run(staff)) == [], "staff page"
    screenshot(staff, f"map-feedback-staff-{language}-1280")
    context.close()


def test_staff_enter_a_paper_response_and_hide_one(browser, live_server, module):
    admin = staff_user("admin", "city_admin")
    context, page = signed_in_page(browser, live_server, admin)
    page.goto("/backoffice/projects/park/")
    page.locator(f"a[href='/projects/park/map/{module.pk}/staff/']").click()
    page.fill("#mf-lat", "59.9851")
    page.fill("#mf-lon", "30.2601")
    page.locator("#paper input[name=sentiment][value='3']").check()
    page.fill("#mf-comment", "С бумажной анкеты")
    page.locator("#paper button[type=submit]").click()
    page.locator(".messages").wait_for()
    paper = MapContribution.objects.get(paper=True)
    assert paper.author is None and paper.entered_by == admin and paper.comment == "С бумажной анкеты"

    target = MapContribution.objects.filter(paper=False).first()
    page.fill(f"#reason-{target.pk}", "Оскорбление")
    page.locator(f"#c{target.pk} .mf-hide button").click()
    page.locator(".messages").wait_for()
    page.goto(f"/projects/park/map/{module.pk}/")
    assert "Оскорбление" in page.locator(f"#c{target.pk}").inner_text()
    assert "бумажн" in page.locator(f"#c{paper.pk}").inner_text().lower()
    screenshot(page, "map-feedback-moderated-1280")
    context.close()
