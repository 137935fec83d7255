"""News and planned works in a real browser: the list and an article, the works map (shapes drawn over
the district outlines also without tiles, each opening its popup), the notice of works in the report
form once the pin is placed next to them, and the staff's drawing of a line that becomes planned works."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from gorod.accounts.models import User
from gorod.core import clock
from gorod.info.news import services
from gorod.info.news.models import PlannedWork
from tests.conftest import make_jpeg
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user

pytestmark = pytest.mark.django_db(transaction=True)
DRAWN_MS = 60_000  # a cap for a loaded machine; each wait ends when the shapes are drawn


@pytest.fixture
def news_data(city):
    admin = User.objects.create_user(username="news-admin", password="x", role=User.Role.CITY_ADMIN)
    north = city.districts.get(slug="north")
    now, today = clock.now(), clock.today()
    item = services.news_create(
        municipality=city,
        author=admin,
        data=services.NewsData(
            title="Летний график отключений воды",
            summary="Где и когда не будет горячей воды.",
            body="Отключения идут **по графику**.\n\n- первый пункт\n- второй пункт",
            district=north,
            tags=["ЖКХ", "вода"],
            published_at=now - dt.timedelta(hours=1),
            photos=[make_jpeg(size=(900, 600), color=(60, 120, 170))],
            photo_alts=["Трубы теплосети"],
        ),
    )
    services.news_create(
        municipality=city,
        author=admin,
        data=services.NewsData(title="Новости города", body="Текст", published_at=now - dt.timedelta(days=1)),
    )
    works = [
        services.work_create(
            municipality=city,
            author=admin,
            data=services.WorkData(
                kind=kind,
                title=title,
                address=address,
                geometry=shape,
                starts_on=today - dt.timedelta(days=2),
                ends_on=today + dt.timedelta(days=12),
                published_at=now - dt.timedelta(hours=2),
            ),
        )
        for kind, title, address, shape in (
            (
                "roadworks",
                "Ремонт Северной улицы",
                "Северная улица",
                {"type": "LineString", "coordinates": [[30.25, 60.0], [30.3, 60.0], [30.35, 60.01]]},
            ),
            (
                "hot_water",
                "Нет горячей воды",
                "Южный квартал",
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[30.25, 59.9], [30.3, 59.9], [30.3, 59.92], [30.25, 59.92], [30.25, 59.9]]
                    ],
                },
            ),
        )
    ]
    return {"item": item, "works": works, "admin": admin}


def test_news_list_and_article(page, news_data):
    page.goto("/news/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Новости города")
    screenshot(page, "news-list")
    page.get_by_role("link", name="Летний график отключений воды").click()
    expect(page.locator(".news-body strong")).to_have_text("по графику")
    assert page.locator(".news-photo img").get_attribute("alt") == "Трубы теплосети"
    screenshot(page, "news-article")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/news/")
    screenshot(page, "news-list-phone")
    # Without horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_works_map_draws_the_shapes_without_tiles(page, news_data):
    page.goto("/news/works/")
    works_map = page.locator("#works-map")
    # Two district outlines and two works, whether or not the tiles came.
    expect(works_map.locator(".leaflet-overlay-pane path")).to_have_count(4, timeout=DRAWN_MS)
    expect(page.locator("#works-map-status")).to_contain_text("2")
    # The area (a line's box centre may miss the line): its popup links to the works' page.
    works_map.locator('.leaflet-overlay-pane path.leaflet-interactive:not([fill="none"])').click(force=True)
    popup = works_map.locator(".leaflet-popup-content a")
    expect(popup).to_have_count(1)
    screenshot(page, "news-works-map")
    page.fill("#works-q", "северная")
    page.get_by_role("button", name="Найти").click()
    expect(page.locator(".work-card")).to_have_count(1)
    expect(works_map.locator(".leaflet-overlay-pane path")).to_have_count(3, timeout=DRAWN_MS)


def test_report_form_tells_of_works_at_the_pin(page, news_data):
    page.goto("/reports/new/")
    page.fill("#id_lat", "60.0003")
    page.fill("#id_lon", "30.27")
    page.locator("#id_lon").dispatch_event("change")
    notice = page.locator("#works-near .works-near")
    expect(notice).to_contain_text("Ремонт Северной улицы")
    expect(notice).to_contain_text("здесь до")
    screenshot(page, "news-works-near-form")


def test_staff_draws_a_line_and_saves_planned_works(browser, live_server, city):
    moderator = staff_user("news-moderator", User.Role.MODERATOR)
    context, page = signed_in_page(browser, live_server, moderator)
    try:
        page.goto("/backoffice/news/works/new/")
        page.select_option("#id_kind", "roadworks")
        page.fill("#id_title", "Ремонт трамвайных путей")
        draw = page.locator("#draw-map")
        expect(draw.locator(".leaflet-overlay-pane path")).to_have_count(2, timeout=DRAWN_MS)
        page.get_by_role("button", name="Линия").click()
        # Mouse clicks land only inside the viewport; the back office's menu may push the map below it.
        draw.scroll_into_view_if_needed()
        box = draw.bounding_box()
        # Three clicks in the northern district: the two districts make a tall strip in the map's middle.
        for fx in (0.47, 0.5, 0.53):
            page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * 0.3)
        assert '"LineString"' in page.input_value("#id_geometry")
        today = clock.today()
        page.fill("#id_starts_on", today.isoformat())
        page.fill("#id_ends_on", (today - dt.timedelta(days=1)).isoformat())
        screenshot(page, "news-staff-work-form")
        page.get_by_role("button", name="Сохранить").click()
        summary = page.locator("#error-summary")
        expect(summary).to_contain_text("раньше")
        assert "Место" not in summary.inner_text()  # the drawn line is in the city
        page.fill("#id_ends_on", (today + dt.timedelta(days=5)).isoformat())
        page.get_by_role("button", name="Сохранить").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Новости и плановые работы")
        work = PlannedWork.objects.get()
        assert work.geometry["type"] == "LineString" and work.district.slug == "north"
        screenshot(page, "news-staff-home")
        page.get_by_role("link", name="Написать новость").click()
        page.fill("#id_title", "Новость о трамвае")
        page.fill("#id_body", "Пути **ремонтируют**.")
        screenshot(page, "news-staff-news-form")
        page.get_by_role("button", name="Сохранить").click()
        expect(page.get_by_role("cell", name="Новость о трамвае", exact=True)).to_be_visible()
    finally:
        context.close()


def test_subscribe_page_picks_a_point_on_the_map(page, news_data):
    page.goto("/news/subscribe/")
    picker = page.locator("#subscribe-map")
    expect(picker.locator(".leaflet-overlay-pane path")).to_have_count(2, timeout=DRAWN_MS)
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.3)
    assert 59.95 < float(page.input_value("#id_lat")) < 60.05
    page.fill("#id_email", "resident@example.org")
    screenshot(page, "news-subscribe")
    page.get_by_role("button", name="Подписаться").click()
    expect(page.locator(".messages")).to_contain_text("Проверьте почту")
