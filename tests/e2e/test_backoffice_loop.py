"""The whole loop in a real browser: a citizen files a report, the moderator accepts it, the department's
executor resolves it with a photo of the fix, the citizen gets the e-mail and confirms. Staff are signed
in by a session cookie from a verified (password + TOTP) login. Screenshots of every back-office page at
1280 px and 390 px go to var/screenshots/."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from gorod.accounts.models import User
from gorod.reports.models import Photo, Report
from gorod.reports.workflow import Status
from tests.conftest import make_jpeg
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def _both_widths(page, name: str) -> None:
    screenshot(page, f"backoffice-{name}-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, f"backoffice-{name}-390")
    # Nothing may stick out sideways on a phone except inside the tables' own scroll boxes.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} is {overflow}px too wide at 390px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_citizen_report_is_moderated_and_resolved_with_a_photo_and_the_citizen_is_told(
    page, browser, live_server, city, tmp_path
):
    moderator = staff_user("moder", User.Role.MODERATOR)
    executor = staff_user("ispolnitel", User.Role.EXECUTOR, "roads")
    photo = tmp_path / "yama.jpg"
    photo.write_bytes(make_jpeg(size=(1200, 900)))
    proof = tmp_path / "fixed.jpg"
    proof.write_bytes(make_jpeg(size=(1200, 900), color=(40, 160, 60)))

    # 1. The citizen files a pothole in the northern district.
    page.goto("/reports/new/")
    picker = page.locator("#picker-map")
    picker.wait_for()
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2)
    page.select_option("#id_category", label="Яма на дороге")
    page.locator("[name='attribute[depth]']").fill("15")
    page.fill("#id_description", "Глубокая яма у остановки <b>опасно</b>")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_name", "Мария Иванова")
    page.fill("#id_email", "maria@example.org")
    page.get_by_role("button", name="Отправить сообщение").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = Report.objects.get()
    assert report.status == Status.SUBMITTED

    # 2. The moderator lands on the moderation queue and accepts it from the report's page.
    context, staff_page = signed_in_page(browser, live_server, moderator)
    staff_page.goto("/backoffice/")
    staff_page.wait_for_url(re.compile(r"/backoffice/moderation/$"))
    row = staff_page.locator("tr", has_text="Глубокая яма у остановки")
    row.wait_for()
    _both_widths(staff_page, "moderation")
    staff_page.goto(f"/backoffice/reports/{report.pk}/")
    assert "maria@example.org" not in staff_page.content()  # shown only when asked for, and audited
    staff_page.get_by_role("button", name="Показать контактные данные").click()
    staff_page.wait_for_url(re.compile(rf"/backoffice/reports/{report.pk}/contacts/$"))
    assert "maria@example.org" in staff_page.content()  # moderators see the contact details
    assert "<b>опасно</b>" in staff_page.locator(".bo-description").inner_text()  # as text
    _both_widths(staff_page, "report-moderator")
    staff_page.locator("section.bo-panel", has_text="Модерировать").get_by_role(
        "button", name="Принять"
    ).click()
    staff_page.wait_for_url(re.compile(rf"/backoffice/reports/{report.pk}/$"))
    assert Report.objects.get(pk=report.pk).status == Status.ACCEPTED
    context.close()

    # 3. The executor of the roads department resolves it with a template answer and a photo.
    context, staff_page = signed_in_page(browser, live_server, executor)
    staff_page.goto("/backoffice/")
    staff_page.wait_for_url(re.compile(r"/backoffice/queue/$"))
    staff_page.locator(f"a[href='/backoffice/reports/{report.pk}/']").first.wait_for()
    staff_page.locator("#queue-map .leaflet-interactive").first.wait_for(state="attached")
    _both_widths(staff_page, "queue")
    staff_page.goto(f"/backoffice/reports/{report.pk}/")
    staff_page.select_option("#act-action", "resolve")
    assert staff_page.locator("#act-department").is_hidden()  # only for a transfer
    staff_page.select_option("#act-template", label="Яма заделана")
    answer = staff_page.input_value("#act-note")
    assert answer.startswith("Яма по адресу") and f"№{report.pk}" in answer
    staff_page.set_input_files("#act-proof", str(proof))
    _both_widths(staff_page, "report-executor")
    staff_page.get_by_role("button", name="Сохранить").first.click()
    staff_page.wait_for_url(re.compile(rf"/backoffice/reports/{report.pk}/$"))
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert Photo.objects.filter(report=report, kind=Photo.Kind.PROOF).count() == 1
    context.close()

    # 4. The worker delivers; the citizen's mail says it is fixed and links to the report.
    from gorod.notifications.tasks import deliver_due

    deliver_due()
    # Her address is new to the city: the only mail so far asks her to confirm it (issue 9, item 4).
    (request,) = [m for m in mail.outbox if "maria@example.org" in m.to]
    assert "опасно" not in request.body
    confirm = re.search(r"https?://\S+/notifications/address/confirm/\S+/", request.body).group(0)
    page.goto(confirm.replace("http://127.0.0.1:8000", live_server.url))
    page.get_by_role("button", name="Подтвердить").click()
    page.get_by_text("адрес подтверждён").wait_for()
    deliver_due()  # what waited for her confirmation, in the order it was written
    to_citizen = [m for m in mail.outbox if "maria@example.org" in m.to][1:]
    assert to_citizen, "the author got no mail"
    # The receipt of the filing comes too; the worker here runs once at the end, so order is not a test.
    resolved_mail = next((m for m in to_citizen if "Яма по адресу" in m.body), None)
    assert resolved_mail is not None, "no mail about the fix"
    links = re.findall(r"https?://\S+", resolved_mail.body)

    # 5. The citizen follows the mail's confirmation link (no account needed), sees the answer and the
    # photo of the fix, and confirms; then rates the work.
    answer_link = next(url for url in links if "/answer/" in url)
    page.goto(answer_link.replace("http://127.0.0.1:8000", live_server.url))
    assert "Яма по адресу" in page.locator("main").inner_text()
    screenshot(page, "loop-citizen-asked-to-confirm")
    page.get_by_role("button", name="Да, решена").click()
    page.locator("#rate").wait_for()
    report.refresh_from_db()
    assert report.status == Status.CONFIRMED
    assert report.events.filter(action="confirm").count() == 1
    page.locator("label[for='score-5']").click()
    page.get_by_role("button", name="Отправить оценку").click()
    page.get_by_text("5 из 5").wait_for()
    assert report.satisfaction.score == 5
    screenshot(page, "loop-citizen-confirmed-and-rated")


def test_every_back_office_page_at_desk_and_phone_widths(browser, live_server, city, file_report):
    """Screenshots of the pages the loop does not visit: the overview, bulk results, failed deliveries,
    the moderation queue with an answer to check."""
    from gorod.reports.services import moderation
    from tests.backoffice.states import bring_to

    admin = staff_user("adminka", User.Role.CITY_ADMIN)
    for i in range(12):
        report = file_report(description=f"Яма номер {i} у дома {i + 1}", photos=[make_jpeg()])
        if i % 3:
            bring_to(report, "accepted")
    litter = city.categories.get(service_code="litter")
    held = bring_to(file_report(category=litter, attributes={}), "in_progress")
    moderation.report_act(
        report=held, actor=admin, action="resolve", public_note="Убрано"
    )  # admin: published
    context, page = signed_in_page(browser, live_server, admin)
    page.goto("/backoffice/")
    _both_widths(page, "home-admin")
    page.goto("/backoffice/queue/?status=open")
    page.locator("[data-select-all]").check()
    page.select_option("#bulk-op", "act")
    page.select_option("#bulk-action", "start")
    page.get_by_role("button", name="Применить").click()
    page.wait_for_url(re.compile(r"/backoffice/queue/bulk/$"))
    assert "Выполнено для" in page.locator("main").inner_text()
    _both_widths(page, "bulk-result")
    page.goto("/backoffice/deliveries/")
    _both_widths(page, "dead-letters")
    context.close()
