"""A citizen files a report with a photo in a real browser, sees where it went and by when, and finds it
on the map and on its page."""

from __future__ import annotations

import re

import pytest

from gorod.city.models import Category
from gorod.core import clock
from gorod.reports.models import Report
from gorod.reports.services import compute_deadlines
from tests.conftest import make_jpeg
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_files_a_report_with_a_photo_and_finds_it_on_the_map(page, city, tmp_path):
    photo = tmp_path / "яма.jpg"
    photo.write_bytes(make_jpeg(size=(1600, 1200), exif_gps=True))

    page.goto("/reports/new/")
    picker = page.locator("#picker-map")
    picker.wait_for()
    # The map opens on the city centre (lat 59.95, the line between the two districts): click well above
    # it, in the northern district.
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2)
    lat = float(page.input_value("#id_lat"))
    lon = float(page.input_value("#id_lon"))
    assert 59.95 < lat < 60.05 and 30.2 < lon < 30.4

    page.select_option("#id_category", label="Яма на дороге")
    depth = page.locator("[name='attribute[depth]']")
    depth.wait_for()
    depth.fill("15")
    page.fill("#id_description", "Глубокая яма <script>alert(1)</script> у остановки")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_name", "Мария Иванова")
    page.fill("#id_email", "maria@example.org")
    screenshot(page, "report-form-filled")
    page.get_by_role("button", name="Отправить сообщение").click()

    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = Report.objects.get()
    assert page.url.endswith(f"/reports/{report.pk}/")
    expected = compute_deadlines(
        category=Category.objects.get(service_code="pothole"), municipality=city, at=report.created
    )
    assert report.deadline == expected.deadline
    body = page.locator("main")
    assert "Дорожное управление" in body.inner_text()  # the department of the routing rule
    assert report.deadline.strftime("%Y") in body.inner_text()
    assert "<script>alert(1)</script>" in body.inner_text()  # shown as text, never run
    assert "maria@example.org" not in page.content() and "Мария" not in page.content()
    image = page.locator("main img[src*='/media/reports/']").first
    image.wait_for()
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 1600
    screenshot(page, "report-page")

    page.goto("/reports/")
    marker = page.locator(f".map-report[aria-label*='{report.pk}']")
    marker.wait_for()
    screenshot(page, "reports-map")
    marker.click()
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    assert report.created <= clock.now()
