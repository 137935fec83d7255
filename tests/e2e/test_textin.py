"""Text-in in a real browser: a resident reads the site sign, texts the keyword (the fake gateway's signed
webhook, as the provider would post it) and finds the comment on the idea wall marked "by text message";
a city administrator adds a keyword on the desk and a moderator bars a number; axe finds no serious
violation on the sign or the desk in Russian or English; screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.consultations import services
from gorod.consultations.ideas.models import Idea
from gorod.consultations.textin import services as textin
from gorod.consultations.textin.gateways import fake
from gorod.consultations.textin.models import Keyword, NumberBan
from gorod.core import clock
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user
from tests.e2e.test_consultation_qa import HOSTILE, _english, _serious

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wall(city, settings):
    settings.GOROD_SMS_GATEWAY = "fake"
    settings.GOROD_SMS_NUMBER = "+7 900 555-00-11"
    now = clock.now()
    project = services.project_create(
        municipality=city,
        slug="courtyard",
        title="Двор на Лесной",
        published=True,
        phase_list=[
            services.NewPhase(
                title="Идеи", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=9)
            )
        ],
    )
    return services.module_add(phase=project.phase_list()[0], kind="idea_wall", title="Идеи для двора")


def _text(page, message_id: str, body: str, sender: str = "+79215551234"):
    """What the provider does when a resident texts: a signed form POST to the webhook."""
    fields = {"id": message_id, "from": sender, "to": "+79005550011", "text": body}
    response = page.request.post(
        "/hooks/sms/fake/", form=fields, headers={fake.SIGNATURE_HEADER: fake.sign(fields)}
    )
    assert response.status == 200, response.status


def test_resident_reads_the_sign_texts_and_finds_the_comment(browser, live_server, wall, city):
    admin = staff_user("boss", "city_admin")
    textin.keyword_add(municipality=city, word="двор", module=wall, actor=admin)
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        page.goto("/projects/courtyard/text-in/")
        sign = page.locator(".ti-sign").inner_text()
        assert "ДВОР" in sign and "+7 900 555-00-11" in sign
        screenshot(page, "textin-sign-ru-390")
        page.set_viewport_size({"width": 1280, "height": 900})
        screenshot(page, "textin-sign-ru-1280")
        _text(page, "sms-1", f"двор Больше скамеек у песочницы {HOSTILE}")
        _text(page, "sms-1", f"двор Больше скамеек у песочницы {HOSTILE}")  # the provider retried
        page.goto(f"/projects/courtyard/ideas/{wall.pk}/")
        card = page.locator(".cp-note").first
        assert "Больше скамеек у песочницы" in card.inner_text() and HOSTILE in card.inner_text()
        assert "по SMS" in card.inner_text()
        assert page.locator(".cp-note").count() == 1
        screenshot(page, "textin-wall-ru-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "textin-wall-ru-390")
    finally:
        context.close()
    assert Idea.objects.get().by_text_message


def test_staff_add_a_keyword_and_bar_a_number(browser, live_server, wall, city):
    admin = staff_user("boss", "city_admin")
    context, page = signed_in_page(browser, live_server, admin)
    try:
        page.goto("/backoffice/projects/")
        page.get_by_role("link", name="Комментарии по SMS").click()
        page.wait_for_url("**/backoffice/text-in/")
        page.fill("#ti-word", "стоп")
        page.get_by_role("button", name="Добавить ключевое слово").click()
        assert "не СТОП" in page.locator(".notice-error").inner_text()
        page.fill("#ti-word", "двор")
        page.select_option("#ti-module", str(wall.pk))
        page.get_by_role("button", name="Добавить ключевое слово").click()
        page.locator(".messages").wait_for()
        assert "ДВОР" in page.locator("#keywords").inner_text()
    finally:
        context.close()
    assert Keyword.objects.get().word == "ДВОР"

    moderator = staff_user("mod", "moderator")
    context, page = signed_in_page(browser, live_server, moderator)
    try:
        _text(page, "sms-1", "ДВОР Реклама: куплю гараж дорого")
        page.goto("/backoffice/text-in/")
        messages = page.locator("#messages").inner_text()
        assert "+7 ••• ••• •• 34" in messages and "5551234" not in page.content()
        page.locator("#messages summary").first.click()
        page.locator("#messages input[name=reason]").first.fill("Реклама")
        page.locator("#messages form button").first.click()
        page.locator(".messages").wait_for()
        assert "Реклама" in page.locator("#bans").inner_text()
        screenshot(page, "textin-desk-ru-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "textin-desk-ru-390")
    finally:
        context.close()
    assert NumberBan.objects.get().reason == "Реклама"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_sign_and_desk_are_accessible(browser, live_server, wall, city, language):
    admin = staff_user("boss", "city_admin")
    textin.keyword_add(municipality=city, word="DVOR", module=wall, actor=admin)
    context, page = signed_in_page(browser, live_server, admin)
    try:
        if language == "en":
            _english(page)
        _text(page, "sms-1", "DVOR More benches, please")
        _text(page, "sms-2", "PORK typo")
        axe = Axe()
        for name, url in (
            ("sign", "/projects/courtyard/text-in/"),
            ("desk", "/backoffice/text-in/"),
            ("wall", f"/projects/courtyard/ideas/{wall.pk}/"),
        ):
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            assert _serious(axe.run(page)) == [], url
            screenshot(page, f"textin-axe-{name}-{language}-1280")
            page.set_viewport_size({"width": 390, "height": 844})
            screenshot(page, f"textin-axe-{name}-{language}-390")
    finally:
        context.close()
