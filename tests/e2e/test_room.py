"""Rooms in a real browser: a resident pins a comment on the plan (Leaflet, L.CRS.Simple) by clicking it,
on the panorama (Photo Sphere Viewer when the browser has WebGL, else by direction in the form) and
answers a comment from the plain-text list with the keyboard only; staff upload a slide, make the room
invite-only and invite someone; axe finds no serious violation in Russian or English; screenshots at 1280
and 390 px."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from gorod.consultations import services as project_services
from gorod.consultations.room import services
from gorod.consultations.room.models import Pin, PinReply, RoomInvitation, Slide
from gorod.core import clock
from gorod.demo.consultations.pdf import make_pdf
from gorod.demo.consultations.room import panorama_jpeg
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user
from tests.e2e.test_consultations import _serious

pytestmark = pytest.mark.django_db(transaction=True)
HOSTILE = '<img src=x onerror="document.title=1">'


@pytest.fixture
def room(city):
    now = clock.now()
    admin = staff_user("boss", "city_admin")
    project = project_services.project_create(
        municipality=city,
        slug="square",
        title="Площадь у метро",
        published=True,
        phase_list=[
            project_services.NewPhase(
                title="Обсуждение", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=10)
            )
        ],
    )
    module = project_services.module_add(
        phase=project.phase_list()[0], kind="room", title="Комната обсуждения"
    )
    plan = services.slide_add(
        module=module,
        actor=admin,
        kind="plan",
        title="План площади",
        description="Схема: остановка на севере, фонтан в центре, метро на юго-востоке.",
        data=make_pdf([["Square plan", "Fountain in the centre"]], width=842, height=595),
        page=1,
    )[0]
    services.slide_add(
        module=module,
        actor=admin,
        kind="panorama",
        title="Панорама",
        description="Вид из центра площади: дома со всех сторон.",
        data=panorama_jpeg(width=2048),
    )
    neighbour = staff_user("olga", "citizen")
    pin = services.pin_add(slide=plan, user=neighbour, text="Нужен переход " + HOSTILE, x=0.2, y=0.2)
    services.reply_add(pin=pin, user=admin, text="Учтём в эскизе.")
    return module


def _to_english(page) -> None:
    page.goto("/")
    page.locator(
        "form[action*='setlang'] button[value='en'], form[action*='setlang'] [type=submit]"
    ).first.click()


def _url(module, suffix: str = "") -> str:
    return f"/projects/square/room/{module.pk}/{suffix}"


def test_a_resident_pins_on_the_plan_and_the_panorama_and_replies_by_keyboard(browser, live_server, room):
    resident = staff_user("anna", "citizen")
    context, page = signed_in_page(browser, live_server, resident)
    page.goto(_url(room))
    page.locator("#room-viewer[data-ready='1']").wait_for()
    assert page.title() != "1"  # the hostile text stayed text
    box = page.locator("#room-viewer").bounding_box()
    page.locator("#room-viewer").click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    assert page.input_value("#pin-x") != "" and page.input_value("#pin-region") == "point"
    page.fill("#pin-text", "Скамейки у фонтана")
    page.click(".room-pin-form button[type=submit]")
    page.locator(".notice, .messages").first.wait_for()
    pin = Pin.objects.get(text="Скамейки у фонтана")
    assert 0.6 < pin.x < 0.9
    assert page.locator(f"#pin-{pin.pk}").count() == 1

    # The panorama: with WebGL the viewer takes a click; without it the form's direction does.
    page.locator(".room-slides a").nth(1).click()
    viewer = page.locator("#room-viewer")
    viewer.wait_for()
    with contextlib.suppress(PlaywrightTimeout):  # no answer from the viewer at all: the form still works
        page.locator("#room-viewer[data-ready]").wait_for(timeout=20_000)
    if viewer.get_attribute("data-ready") == "1":
        box = viewer.bounding_box()
        viewer.click(position={"x": box["width"] / 2 + 60, "y": box["height"] / 2 - 40})
        assert page.input_value("#pin-yaw") != ""
    else:
        page.select_option("#pin-region", "e")
    page.fill("#pin-text", "Тут нужны деревья")
    page.click(".room-pin-form button[type=submit]")
    page.locator(".notice, .messages").first.wait_for()
    around = Pin.objects.get(text="Тут нужны деревья")
    assert around.yaw is not None and -90 <= around.pitch <= 90
    screenshot(page, "room-panorama-1280")

    # Keyboard only, from the list in words: open the first comment's reply and answer it.
    first = Pin.objects.order_by("id").first()
    page.goto(_url(room))
    summary = page.locator(f"#pin-{first.pk} summary", has_text="Ответить")
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("Согласна, и свет нужен")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(".notice, .messages").first.wait_for()
    assert PinReply.objects.filter(pin=first, author=resident).exists()
    context.close()


def test_staff_upload_a_slide_and_invite(browser, live_server, room, tmp_path: Path):
    admin = staff_user("chief", "city_admin")
    context, page = signed_in_page(browser, live_server, admin)
    page.goto(_url(room, "staff/"))
    picture = tmp_path / "photo.png"
    from PIL import Image

    Image.new("RGB", (900, 600), (30, 120, 60)).save(picture)
    page.select_option("#slide-kind", "image")
    page.fill("#slide-title", "Сквер сегодня")
    page.fill("#slide-description", "Фотография сквера: газон и две скамейки.")
    page.set_input_files("#slide-file", str(picture))
    page.click("#slides form[enctype] button[type=submit]")
    page.locator(".notice, .messages").first.wait_for()
    assert Slide.objects.filter(module=room, title="Сквер сегодня").exists()
    page.check("input[name=invite_only]")
    page.click("#room form button[type=submit]")
    page.locator(".notice, .messages").first.wait_for()
    page.fill("#invite-emails", "vera@example.org")
    page.click("#invite form button[type=submit]")
    page.locator(".room-table").wait_for()
    assert RoomInvitation.objects.filter(module=room).count() == 1
    screenshot(page, "room-staff-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than a phone
    screenshot(page, "room-staff-390")
    context.close()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_room_pages_have_no_serious_accessibility_violations(browser, live_server, room, language):
    resident = staff_user(f"axe-{language}", "citizen")
    context, page = signed_in_page(browser, live_server, resident)
    if language == "en":
        _to_english(page)
    axe = Axe()
    slides = list(Slide.objects.filter(module=room).order_by("position"))
    for slide in slides:
        page.goto(_url(room) + f"?slide={slide.pk}")
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert _serious(axe.run(page)) == [], slide.kind
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"room-{slide.kind}-{language}-{width}")
    context.close()
