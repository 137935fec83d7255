"""The 3D dialogue in a real browser (WebGL through chromium's software renderer): a resident switches
before/after, pins a comment by clicking the model and another from the centre of the view, re-opens a
comment's view and replies; without WebGL the text list and reply forms still work from the keyboard;
staff upload a model (a hostile one is refused); axe finds no serious violation in Russian or English;
screenshots at 1280 and 390 px."""

from __future__ import annotations

import io
import math

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.consultations.model_3d.models import ModelPin, ModelReply, SceneModel
from gorod.core import clock
from gorod.demo.consultations import model_3d as demo
from tests.consultations.model_3d_helpers import triangle_glb
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user

pytestmark = pytest.mark.django_db(transaction=True)
HOSTILE = '<img src=x onerror="alert(1)">'
NO_WEBGL = """
const original = HTMLCanvasElement.prototype.getContext;
HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
  const webgl = String(kind).startsWith("webgl") || kind === "experimental-webgl";
  return webgl ? null : original.call(this, kind, ...rest);
};
"""


@pytest.fixture
def module(city):
    staff_user("city-admin", "city_admin")
    demo.seed(municipality=city, seed=1, anchor=clock.today(), stdout=io.StringIO())
    return SceneModel.objects.first().module


def _url(module, rest=""):
    return f"/projects/{demo.SLUG}/model/{module.pk}/{rest}"


def _loaded(page) -> None:
    page.wait_for_function("() => { const v = document.getElementById('m3d-viewer'); return v && v.loaded; }")


def _painted(page) -> None:
    """Two animation frames after a resize: the viewer has drawn at its new size."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def _switch(page, label: str) -> None:
    """Check the before/after radio `label` and wait for the other model's load event."""
    page.evaluate(
        "() => { window.m3dLoaded = false; document.getElementById('m3d-viewer')"
        ".addEventListener('load', () => { window.m3dLoaded = true; }, { once: true }); }"
    )
    page.get_by_label(label).check()
    page.wait_for_function("() => window.m3dLoaded === true")


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_resident_pins_on_the_model_reopens_a_view_and_replies(browser, live_server, module):
    resident = staff_user("anna", "citizen")
    context, page = signed_in_page(browser, live_server, resident)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:", "blob:")) else outside.append(r.url),
    )
    try:
        page.goto(f"/projects/{demo.SLUG}/")
        page.get_by_role("link", name="Открыть 3D-модель и прокомментировать").click()
        page.wait_for_url(f"**{_url(module)}")
        outside.clear()  # the project page's map may ask for tiles; the 3D page asks nothing outside
        _loaded(page)
        viewer = page.locator("#m3d-viewer")
        assert "after.glb" in viewer.evaluate("v => v.src")

        # Before/after: the toggle swaps the model and shows only that model's pins.
        _switch(page, "До: как сейчас")
        assert "before.glb" in viewer.evaluate("v => v.src")
        before_pin = ModelPin.objects.get(variant="before")
        page.locator(f'.m3d-hotspot[data-pin="{before_pin.pk}"]').wait_for(state="visible")
        assert page.locator(".m3d-hotspot[data-variant=after]").first.is_hidden()
        screenshot(page, "model3d-before-1280")
        _switch(page, "После: с предложением")

        # A click on the model picks the point (and the camera) …
        box = viewer.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 20)
        page.locator("#m3d-picked", has_text="Точка выбрана").wait_for()
        page.fill("#m3d-text", f"Башня слишком близко к школе {HOSTILE}")
        page.get_by_role("button", name="Закрепить комментарий").click()
        page.locator(".messages").wait_for()
        pin = ModelPin.objects.filter(author=resident).get()
        assert pin.variant == "after" and 0 <= pin.orbit_phi <= math.pi and pin.field_of_view > 0
        item = page.locator(f"#model_pin-{pin.pk}")
        assert HOSTILE in item.locator(".m3d-text").inner_text()
        assert item.locator(".m3d-where-text").inner_text().startswith("на ")

        # … and so does the keyboard's way: the centre of the view.
        _loaded(page)
        page.get_by_role("button", name="Выбрать центр вида").click()
        page.locator("#m3d-picked", has_text="Точка выбрана").wait_for()
        page.keyboard.type("А здесь нужна парковка.")
        page.get_by_role("button", name="Закрепить комментарий").click()
        page.locator(".messages").wait_for()
        assert ModelPin.objects.filter(author=resident).count() == 2

        # Opening a comment re-opens its view: the seeded first comment was written looking from the east.
        _loaded(page)
        first = ModelPin.objects.filter(module=module).order_by("created").first()
        page.locator(f"#model_pin-{first.pk} [data-show-pin]").click()
        page.wait_for_function(
            "(t) => Math.abs(document.getElementById('m3d-viewer').getCameraOrbit().theta - t) < 0.05",
            arg=first.orbit_theta,
        )
        assert "48 метров" in page.locator("#m3d-caption").inner_text()

        page.fill(f"#reply-{first.pk}", "Согласен, нужен сквер.")
        page.locator(f"#model_pin-{first.pk} .m3d-reply button").click()
        page.locator(".messages").wait_for()
        assert ModelReply.objects.filter(pin=first, author=resident).exists()
        _loaded(page)
        screenshot(page, "model3d-page-1280")
        assert outside == []
    finally:
        context.close()
    # On a phone the page opens at its width (the viewer draws at the size it starts with).
    context, page = signed_in_page(browser, live_server, resident, width=390)
    try:
        page.goto(_url(module))
        _loaded(page)
        _painted(page)
        screenshot(page, "model3d-page-390")
    finally:
        context.close()


def test_without_webgl_the_comments_are_text_and_replies_work_by_keyboard(browser, live_server, module):
    resident = staff_user("boris", "citizen")
    context, page = signed_in_page(browser, live_server, resident)
    context.add_init_script(NO_WEBGL)
    try:
        page.goto(_url(module))
        page.locator("#m3d-unavailable").wait_for()
        assert not page.locator("#m3d-viewer").is_visible()
        assert not page.locator(".m3d-toggle").is_visible()  # nothing to switch without the picture
        assert not page.locator("#m3d-pin-form").is_visible()
        assert page.locator("#m3d-pin-needs-3d").is_visible()
        wheres = page.locator(".m3d-where-text").all_inner_texts()
        assert "на предлагаемом здании, восточная сторона, верхняя часть" in wheres
        first = ModelPin.objects.filter(module=module).order_by("created").first()
        page.focus(f"#reply-{first.pk}")
        page.keyboard.type("Отвечаю без 3D.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.locator(".messages").wait_for()
        assert ModelReply.objects.filter(pin=first, author=resident).exists()
        screenshot(page, "model3d-no-webgl-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "model3d-no-webgl-390")
    finally:
        context.close()


def test_staff_upload_a_model_and_a_hostile_one_is_refused(browser, live_server, module):
    from gorod.accounts.models import User

    admin = User.objects.get(username="city-admin")
    context, page = signed_in_page(browser, live_server, admin)
    try:
        page.goto(_url(module))
        page.get_by_role("link", name="Загрузить модели (сотрудникам)").click()
        page.wait_for_url(f"**{_url(module, 'staff/')}")
        old = SceneModel.objects.get(module=module, variant="before").sha256
        evil = triangle_glb(lambda d: d["images"][0].update(uri="https://example.org/x.png"))
        page.get_by_label("До: как сейчас").check()
        page.set_input_files(
            "#m3d-file", files=[{"name": "evil.glb", "mimeType": "model/gltf-binary", "buffer": evil}]
        )
        page.get_by_role("button", name="Проверить и опубликовать").click()
        page.get_by_role("alert").filter(has_text="она ссылается на внешние файлы").wait_for()
        assert SceneModel.objects.get(module=module, variant="before").sha256 == old
        screenshot(page, "model3d-staff-refused-1280")
        page.get_by_label("До: как сейчас").check()
        page.set_input_files(
            "#m3d-file", files=[{"name": "t.glb", "mimeType": "model/gltf-binary", "buffer": triangle_glb()}]
        )
        page.get_by_role("button", name="Проверить и опубликовать").click()
        page.locator(".messages", has_text="Модель проверена и опубликована").wait_for()
        assert SceneModel.objects.get(module=module, variant="before").sha256 != old
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than a phone
        screenshot(page, "model3d-staff-390")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_3d_pages_have_no_serious_accessibility_violations(browser, live_server, module, language):
    from gorod.accounts.models import User

    admin = User.objects.get(username="city-admin")
    context, page = signed_in_page(browser, live_server, admin)
    try:
        if language == "en":
            page.goto("/")
            page.locator(
                "form[action*='setlang'] button[value='en'], form[action*='setlang'] [type=submit]"
            ).first.click()
        axe = Axe()
        for url in (_url(module), _url(module, "staff/")):
            page.goto(url)
            page.wait_for_load_state("networkidle")
            if url == _url(module):
                _loaded(page)
            assert page.locator("html").get_attribute("lang") == language
            assert _serious(axe.run(page)) == [], url
        if language == "en":
            page.goto(_url(module))
            _loaded(page)
            screenshot(page, "model3d-page-en-1280")
    finally:
        context.close()
