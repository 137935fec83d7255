"""axe-core on the pages a citizen uses most: no serious or critical violations, in both languages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.reports.services import NewReport, report_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report(city, categories):
    return report_create(
        municipality=city,
        data=NewReport(
            category=categories["litter"],
            lat=59.9,
            lon=30.3,
            description='Мусор "><img src=x onerror=alert(1)>',
            contact_name="Пётр",
            show_name=True,
        ),
    )


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_main_pages_have_no_serious_accessibility_violations(page, report, language):
    if language == "en":
        page.goto("/")
        page.locator(
            "form[action*='setlang'] button[value='en'], form[action*='setlang'] [type=submit]"
        ).first.click()
    axe = Axe()
    for url in ("/", "/reports/", "/reports/new/", f"/reports/{report.pk}/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert _serious(axe.run(page)) == [], url


@pytest.mark.parametrize("language", ["ru", "en"])
def test_news_pages_have_no_serious_accessibility_violations(page, city, language):
    import datetime as dt

    from gorod.accounts.models import User
    from gorod.core import clock
    from gorod.info.news import services

    admin = User.objects.create_user(username="news-axe", password="x", role=User.Role.CITY_ADMIN)
    item = services.news_create(
        municipality=city,
        author=admin,
        data=services.NewsData(
            title="Новость <b>района</b>",
            body="**Текст** и [ссылка](https://example.org)",
            tags=["ЖКХ"],
            district=city.districts.get(slug="north"),
            published_at=clock.now() - dt.timedelta(hours=1),
        ),
    )
    work = services.work_create(
        municipality=city,
        author=admin,
        data=services.WorkData(
            kind="hot_water",
            title="Нет горячей воды",
            geometry={"type": "Point", "coordinates": [30.3, 60.0]},
            starts_on=clock.today(),
            ends_on=clock.today() + dt.timedelta(days=10),
            published_at=clock.now() - dt.timedelta(hours=1),
        ),
    )
    if language == "en":
        page.goto("/news/")
        page.locator("form[action*='setlang'] button[value='en']").first.click()
    axe = Axe()
    for url in ("/news/", f"/news/{item.pk}/", "/news/works/", f"/news/works/{work.pk}/", "/news/subscribe/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert _serious(axe.run(page)) == [], url
