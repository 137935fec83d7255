"""The back office at a desk, in a real browser (issue 9, items 7–11 and the moderation parts of item 3):
the moderation table fits its box at 1280–1920 px, a suggested duplicate is marked, a transfer returns
the executor to the queue, the report page shows the answers to the category's questions, a keyboard
path moderates without Tabbing through the header, and a flood is rejected in one go. Screenshots go to
var/screenshots/backoffice-desk-*."""

from __future__ import annotations

import re

import pytest

from gorod.accounts.models import User
from gorod.city.models import Category, District
from gorod.core import clock
from gorod.reports.models import Report
from gorod.reports.workflow import Status
from tests.backoffice.states import bring_to
from tests.conftest import SPRING_DAY, make_jpeg
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user

pytestmark = pytest.mark.django_db(transaction=True)
DESK_WIDTHS = (1280, 1440, 1920)
LONG = (
    "Глубокая яма во всю ширину проезжей части напротив подъезда, машины объезжают её по встречной полосе, "
    "ночью не видно",
    "Купите слонов http://spam.example/" + "слоны" * 30,
)


def _long_names(city) -> None:
    """The longest names the demo city has, so the table meets what a real city puts in it."""
    Category.objects.filter(municipality=city, service_code="pothole").update(
        name="Неубранная территория школы или детского сада"
    )
    District.objects.filter(municipality=city, slug="north").update(name="Красногвардейский")


def _overflow(page) -> list[str]:
    """What sticks out of the moderation table's box: the box's own overflow, and any row button whose
    right edge is past the box's."""
    return page.evaluate(
        """() => {
        const box = document.querySelector('.bo-table-wrap');
        const edge = box.getBoundingClientRect().right;
        const out = [];
        if (box.scrollWidth > box.clientWidth + 1) {
            out.push(`table ${box.scrollWidth}px, box ${box.clientWidth}px`);
        }
        for (const b of box.querySelectorAll('tbody .bo-button')) {
            const right = b.getBoundingClientRect().right;
            if (right > edge + 1) out.push(`${b.textContent.trim()} ends at ${right}px, box at ${edge}px`);
        }
        return out;
    }"""
    )


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_moderation_table_fits_its_box_at_desk_widths(language, browser, live_server, city, file_report):
    _long_names(city)
    with clock.frozen(SPRING_DAY):  # months ago: every row says how many working days it is overdue
        for i in range(8):
            file_report(description=f"{LONG[i % 2]} ({i})", photos=[])
    moderator = staff_user("moder", User.Role.MODERATOR)
    for width in DESK_WIDTHS:
        context, page = signed_in_page(browser, live_server, moderator, width=width)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto("/backoffice/moderation/")
        page.locator(".bo-table tbody tr").first.wait_for()
        screenshot(page, f"backoffice-desk-moderation-{language}-{width}")
        assert _overflow(page) == [], (language, width)
        # A reader who set a larger default font (the browser's "large": 20 px) gets the same table.
        page.add_style_tag(content="html { font-size: 20px; }")
        screenshot(page, f"backoffice-desk-moderation-{language}-{width}-large-font")
        assert _overflow(page) == [], (language, width, "large font")
        context.close()


def test_a_moderator_marks_a_suggested_duplicate_and_sees_the_answers(
    browser, live_server, city, file_report
):
    original = bring_to(file_report(description="Та же яма", photos=[]), "accepted")
    report = file_report(
        attributes={"depth": "15", "size": "large", "hazards": ["water", "dark"]}, photos=[make_jpeg()]
    )
    context, page = signed_in_page(browser, live_server, staff_user("moder", User.Role.MODERATOR))
    page.goto(f"/backoffice/reports/{report.pk}/")
    answers = page.locator(".bo-answers-to-questions")
    assert "Глубина, см" in answers.inner_text() and "Большая" in answers.inner_text()
    assert "Вода, Темно" in answers.inner_text()
    for width in (1280, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"backoffice-desk-report-{width}")
    panel = page.locator("details.bo-panel", has_text="Отметить как повтор")
    panel.locator(f"label[for='dup-{original.pk}']").click()
    panel.get_by_role("button", name="Отметить как повтор").click()
    page.wait_for_url(re.compile(rf"/backoffice/reports/{report.pk}/$"))
    assert page.locator(".error-summary").count() == 0
    report.refresh_from_db()
    assert (report.status, report.duplicate_of_id) == (Status.DUPLICATE, original.pk)
    context.close()


def test_an_executor_transfers_a_report_and_is_back_in_the_queue(browser, live_server, city, file_report):
    report = bring_to(file_report(photos=[]), "accepted")
    context, page = signed_in_page(
        browser, live_server, staff_user("ispolnitel", User.Role.EXECUTOR, "roads")
    )
    page.goto(f"/backoffice/reports/{report.pk}/")
    page.select_option("#act-action", "transfer")
    page.select_option("#act-department", label="Жилищное агентство")
    page.fill("#act-note", "Это двор, не дорога")
    page.get_by_role("button", name="Сохранить").first.click()
    page.wait_for_url(re.compile(r"/backoffice/queue/$"))
    assert str(report.pk) in page.locator(".messages").inner_text()
    assert Report.objects.get(pk=report.pk).department.slug == "yards"
    context.close()


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_a_moderator_accepts_and_rejects_from_the_keyboard_without_tabbing_through_the_page(
    browser, live_server, city, file_report
):
    with clock.frozen(SPRING_DAY):
        first, second = file_report(photos=[]), file_report(description="Реклама", photos=[])
    context, page = signed_in_page(browser, live_server, staff_user("moder", User.Role.MODERATOR))
    page.goto("/backoffice/moderation/")
    assert _focused(page) == f"Открыть №{first.pk}"  # the most urgent report
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/backoffice/reports/{first.pk}/$"))
    page.keyboard.press("Tab")
    assert _focused(page) == "Принять как есть"
    screenshot(page, "backoffice-desk-report-keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/backoffice/moderation/$"))
    assert Report.objects.get(pk=first.pk).status == Status.ACCEPTED

    assert _focused(page) == f"Открыть №{second.pk}"  # the next one
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/backoffice/reports/{second.pk}/$"))
    for _key in range(2):
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "quick-reason"
    page.keyboard.press("ArrowDown")  # the first reason of the list
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/backoffice/moderation/$"))
    assert Report.objects.get(pk=second.pk).status == Status.REJECTED
    context.close()


def test_a_flood_is_rejected_in_one_go(browser, live_server, city, file_report):
    with clock.frozen(SPRING_DAY):
        genuine = file_report(description="Настоящая яма", photos=[])
        spam = [
            file_report(description=f"Купите слонов http://spam.example/{i}", photos=[]) for i in range(5)
        ]
    context, page = signed_in_page(browser, live_server, staff_user("moder", User.Role.MODERATOR))
    page.goto("/backoffice/moderation/")
    for report in spam:
        page.get_by_label(f"Выбрать сообщение №{report.pk}").check()
    page.select_option("#bulk-reason", label="Сообщение содержит оскорбления")
    page.fill("#bulk-text", "Реклама")
    page.get_by_role("button", name="Отклонить выбранные…").click()
    page.get_by_role("button", name="Отклонить 5 сообщений").wait_for()
    screenshot(page, "backoffice-desk-bulk-reject-confirm")
    page.get_by_role("button", name="Отклонить 5 сообщений").click()
    page.get_by_text("Выполнено для 5 из 5 сообщений").wait_for()
    assert [Report.objects.get(pk=r.pk).status for r in spam] == [Status.REJECTED] * 5
    assert Report.objects.get(pk=genuine.pk).status == Status.SUBMITTED
    page.get_by_role("link", name="Назад к модерации").click()
    page.wait_for_url(re.compile(r"/backoffice/moderation/$"))
    assert page.locator(".bo-table tbody tr").count() == 1
    context.close()
