"""A report's back-office page as the outside test of issue 9 used it: marking a suggested duplicate,
transferring away, the answers to the category's questions, the author's contact, the keyboard path."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from gorod.city.models import Department
from gorod.reports.models import Report
from gorod.reports.services import report_create
from gorod.reports.workflow import Status
from tests.backoffice.states import bring_to

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The fields of the form posting to `action`, as a browser would send them: text boxes with their
    value, and only the checked radio of each group (here: the one `pick` names)."""

    def __init__(self, action: str, pick: dict[str, str]):
        super().__init__()
        self.action, self.pick = action, pick
        self.inside = False
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action", "").endswith(self.action)
        elif self.inside and tag in ("input", "textarea") and a.get("name"):
            kind = a.get("type", "text")
            if kind == "radio":
                if self.pick.get(a["name"]) == a.get("value"):
                    self.fields.append((a["name"], a["value"]))
            elif kind != "checkbox":
                self.fields.append((a["name"], a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _submitted(html: str, action: str, pick: dict[str, str]) -> dict[str, list[str]]:
    parser = _Form(action, pick)
    parser.feed(html)
    posted: dict[str, list[str]] = {}
    for name, value in parser.fields:
        posted.setdefault(name, []).append(value)
    return posted


def test_a_suggested_duplicate_picked_with_the_number_box_left_empty_is_marked(
    client_for, file_report, frozen_spring
):
    original = bring_to(file_report(description="Та же яма"), "accepted")
    report = file_report()
    client = client_for("moderator")
    html = client.get(f"/backoffice/reports/{report.pk}/").content.decode()
    assert f'value="{original.pk}"' in html  # suggested
    data = _submitted(html, "/duplicate/", pick={"original": str(original.pk)})
    response = client.post(f"/backoffice/reports/{report.pk}/duplicate/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert (report.status, report.duplicate_of_id) == (Status.DUPLICATE, original.pk)


def test_a_typed_number_wins_over_a_picked_suggestion(client_for, file_report, frozen_spring):
    suggested = bring_to(file_report(description="Та же яма"), "accepted")
    typed = bring_to(file_report(description="Другая яма", lat=59.9), "accepted")
    report = file_report()
    response = client_for("moderator").post(
        f"/backoffice/reports/{report.pk}/duplicate/",
        {"original": str(suggested.pk), "original_number": f"№{typed.pk}"},
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).duplicate_of_id == typed.pk


def test_an_executor_who_transfers_a_report_away_is_sent_back_to_the_queue_with_the_message(
    client_for, file_report, frozen_spring
):
    report = bring_to(file_report(), "accepted")
    client = client_for("executor")
    yards = Department.objects.get(slug="yards")
    response = client.post(
        f"/backoffice/reports/{report.pk}/act/",
        {"action": "transfer", "department": yards.pk, "public_note": "Это двор, не дорога"},
    )
    assert response.status_code == 302 and response["Location"] == "/backoffice/queue/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f"#{report.pk}" in page.content.decode() or f"№{report.pk}" in page.content.decode()
    assert [str(m) for m in page.context["messages"]]  # the success message is shown there
    # Who still sees the report after the transfer stays on its page.
    other = bring_to(file_report(), "accepted")
    response = client_for("moderator").post(
        f"/backoffice/reports/{other.pk}/act/",
        {"action": "transfer", "department": yards.pk, "public_note": "Двор"},
    )
    assert response["Location"] == f"/backoffice/reports/{other.pk}/"


def test_the_report_page_shows_the_answers_to_the_categorys_questions(client_for, file_report, frozen_spring):
    report = file_report(attributes={"depth": "15", "lane": "левая", "size": "large", "hazards": ["water"]})
    html = client_for("moderator").get(f"/backoffice/reports/{report.pk}/").content.decode()
    for label, value in (("Глубина, см", "15"), ("Полоса", "левая"), ("Размер", "Большая")):
        assert re.search(rf"<dt>{label}</dt>\s*<dd>{value}</dd>", html), label
    assert re.search(r"<dt>Опасности</dt>\s*<dd>Вода</dd>", html)


def test_a_signed_in_residents_report_shows_the_accounts_contact_to_staff(
    client_for, city, new_report, frozen_spring, staff
):
    resident = staff["citizen"]
    report = report_create(
        municipality=city, data=new_report(contact_name="", contact_email=""), author=resident
    )
    moderator = client_for("moderator")
    assert "citizen@example.org" not in moderator.get(f"/backoffice/reports/{report.pk}/").content.decode()
    html = moderator.post(f"/backoffice/reports/{report.pk}/contacts/").content.decode()
    assert "citizen@example.org" in html
    assert "контактов нет" not in html and "no contact details" not in html
    # Those who may not see contacts do not see the account's either.
    bring_to(report, "accepted")
    page = client_for("auditor").get(f"/backoffice/reports/{report.pk}/")
    assert "citizen@example.org" not in page.content.decode()
    assert client_for("auditor").post(f"/backoffice/reports/{report.pk}/contacts/").status_code == 403


def test_a_new_report_opens_with_the_keyboard_on_accept_and_reject_at_the_top(
    client_for, file_report, frozen_spring
):
    report = file_report()
    html = client_for("moderator").get(f"/backoffice/reports/{report.pk}/").content.decode()
    main = html.split('<main id="main"', 1)[1]
    quick = main.index('class="bo-quick"')
    assert quick < main.index('class="bo-facts"')  # above the report, before anything else to Tab through
    top = main[quick : main.index("</section>", quick)]
    assert re.search(r'<h2 id="quick-title" tabindex="-1" autofocus>', top)
    assert re.search(r'<button type="submit" class="[^"]*" accesskey="a">', top)
    assert re.search(r'<select id="quick-reason" name="reason" required accesskey="r">', top)
    assert top.count('name="next" value="/backoffice/moderation/"') == 2  # both go back to the queue
    # Moderation page: the most urgent report's link has the focus, to open it with Enter.
    queue = client_for("moderator").get("/backoffice/moderation/").content.decode()
    assert re.search(rf'href="/backoffice/reports/{report.pk}/" autofocus>', queue)
    # Nothing to moderate, no quick bar.
    accepted = bring_to(file_report(), "accepted")
    assert (
        'class="bo-quick"'
        not in client_for("moderator").get(f"/backoffice/reports/{accepted.pk}/").content.decode()
    )
