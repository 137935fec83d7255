"""The report form and the author's answers are limited per client; a bot that fills the honeypot is
thanked and nothing is saved."""

from __future__ import annotations

import pytest

from gorod.reports.models import Report
from tests.helpers import post_past_the_limit
from tests.reports.test_views import form_data

pytestmark = pytest.mark.django_db


def test_a_burst_of_200_reports_stops_at_the_limit_with_429_and_retry_after(
    client, write_limits, frozen_spring, categories
):
    write_limits.GOROD_RATE_LIMITS = {"report": "10/10m"}
    answers = [client.post("/reports/new/", form_data(categories)) for _ in range(200)]
    assert [a.status_code for a in answers[:10]] == [302] * 10
    assert {a.status_code for a in answers[10:]} == {429}
    assert all(0 < int(a["Retry-After"]) <= 600 for a in answers[10:])
    assert Report.objects.count() == 10
    # Another client is not held back by this one.
    other = client.post("/reports/new/", form_data(categories), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302 and Report.objects.count() == 11


def test_the_limit_page_is_the_sites_own_in_the_readers_language(client, write_limits, frozen_spring, city):
    write_limits.GOROD_RATE_LIMITS = {"report": "1/10m"}
    client.post("/reports/new/", {})
    page = client.post("/reports/new/", {}, HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 429 and "Слишком много запросов" in page.content.decode()


@pytest.mark.parametrize("answer", ["confirm", "dispute", "rate"])
def test_the_authors_answers_are_limited(client, write_limits, city, answer):
    post_past_the_limit(client, f"/reports/1/{answer}/", "feedback")


def test_the_form_carries_a_honeypot_people_do_not_see(client, city):
    html = client.get("/reports/new/").content.decode()
    assert 'class="hp-field"' in html and 'name="website"' in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html


def test_a_filled_honeypot_looks_like_success_and_saves_nothing(client, frozen_spring, categories, caplog):
    response = client.post("/reports/new/", form_data(categories, website="http://spam.example"))
    assert response.status_code == 302
    assert Report.objects.count() == 0
    assert "spam.example" not in caplog.text
