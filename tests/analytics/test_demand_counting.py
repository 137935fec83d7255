"""Demand counters: what a request adds, and what it never adds or stores."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from gorod.analytics.demand import catalog, counting
from gorod.analytics.demand.middleware import count
from gorod.analytics.demand.models import DemandCounter
from gorod.core import usage
from tests.analytics.demand_helpers import DESKTOP, PHONE, TABLET
from tests.reports.test_views import form_data

pytestmark = pytest.mark.django_db
IP = "203.0.113.77"


def counters() -> dict[tuple[str, str], int]:
    return {(r.kind, r.key): r.value for r in DemandCounter.objects.all()}


def get(client, url, ua=PHONE, ip=IP, **extra):
    return client.get(url, HTTP_USER_AGENT=ua, REMOTE_ADDR=ip, **extra)


def test_a_page_view_counts_the_service_device_and_language_once(client, city, counting_on):
    assert get(client, "/reports/").status_code == 200
    assert counters() == {("visit", "reports_map"): 1, ("device", "phone"): 1, ("language", "ru"): 1}


def test_replaying_requests_adds_nothing(client, city, counting_on):
    for _ in range(5):
        get(client, "/reports/")
        get(client, "/help/")
    assert counters()[("visit", "reports_map")] == 1
    assert counters()[("visit", "help")] == 1
    assert counters()[("device", "phone")] == 1  # one visitor, however many pages
    get(client, "/reports/", ua=DESKTOP)  # another browser at the same address is another visitor
    get(client, "/reports/", ip="198.51.100.9")  # and so is the same browser elsewhere
    assert counters()[("visit", "reports_map")] == 3
    assert counters()[("device", "desktop")] == 1
    assert counters()[("device", "phone")] == 2


def test_counting_sets_no_cookie_and_touches_no_session(client, city, counting_on, settings):
    counted = get(client, "/reports/")
    settings.GOROD_DEMAND_ENABLED = False
    plain = get(client, "/reports/")
    assert set(counted.cookies) == set(plain.cookies)
    assert settings.SESSION_COOKIE_NAME not in counted.cookies
    assert DemandCounter.objects.exists()


@pytest.mark.parametrize(
    "ua",
    ["", "curl/8.5.0", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     "Mozilla/5.0 (compatible; YandexBot/3.0)", "python-requests/2.32", "Mozilla/5.0 HeadlessChrome/126.0"],
)  # fmt: skip
def test_bots_are_not_counted(client, city, counting_on, ua):
    assert get(client, "/reports/", ua=ua).status_code == 200
    assert counters() == {}


def test_device_classes():
    assert catalog.device_class(PHONE) == "phone"
    assert catalog.device_class(TABLET) == "tablet"
    assert (
        catalog.device_class("Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Safari/537.36")
        == "tablet"
    )
    assert (
        catalog.device_class(
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36"
        )
        == "phone"
    )
    assert catalog.device_class(DESKTOP) == "desktop"


def test_api_static_and_lean_paths_are_not_counted(client, city, counting_on):
    for url in ("/open311/v2/services.json", "/api/openapi.json", "/healthz", "/metrics", "/static/x.css"):
        get(client, url)
    get(client, "/no-such-page/")  # a 404 is no visit of any service
    get(client, "/reports/", HTTP_HX_REQUEST="true")  # a fragment of a page already counted
    assert counters() == {}


def test_english_pages_count_as_english(client, city, counting_on, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    get(client, "/reports/")
    assert counters()[("language", "en")] == 1


def test_report_funnel_counts_each_step_once_per_person(client, categories, counting_on):
    get(client, "/reports/new/")
    get(client, "/reports/new/")
    bad = client.post("/reports/new/", {"description": ""}, HTTP_USER_AGENT=PHONE, REMOTE_ADDR=IP)
    assert bad.status_code in (200, 400)
    assert counters()[("funnel", "report:opened")] == 1
    assert counters()[("funnel", "report:sent")] == 1
    assert ("funnel", "report:filed") not in counters()
    good = client.post("/reports/new/", form_data(categories), HTTP_USER_AGENT=PHONE, REMOTE_ADDR=IP)
    assert good.status_code == 302
    assert counters()[("funnel", "report:sent")] == 1  # the same person, the same day
    assert counters()[("funnel", "report:filed")] == 1


def test_nothing_identifying_is_stored_anywhere(client, categories, counting_on):
    ua = PHONE + " Marker/QXZ-unique"
    get(client, "/reports/", ua=ua)
    get(client, "/reports/new/", ua=ua)
    client.post(
        "/reports/new/",
        form_data(categories, name=None, email=None, phone=None),
        HTTP_USER_AGENT=ua,
        REMOTE_ADDR=IP,
    )
    salt = counting.day_salt(next(iter(DemandCounter.objects.values_list("day", flat=True))))
    rows = list(DemandCounter.objects.values())
    assert rows
    for row in rows:
        assert set(row) == {"id", "municipality_id", "day", "kind", "key", "value"}
        assert not re.search(r"[0-9a-f]{16}", row["key"])  # no hash of anything
    # Every row of every table: neither the address, the browser's signature nor the salt.
    for model in apps.get_models():
        for row in model.objects.values_list():
            text = repr(row)
            assert IP not in text and "QXZ-unique" not in text and salt.hex() not in text, model


def test_a_failing_cache_never_breaks_the_page(client, city, counting_on, monkeypatch):
    def failing_for_demand(real):
        def call(key, *args, **kwargs):  # the rest of the site is not under test here
            if key.startswith("demand:"):
                raise ConnectionError("cache down")
            return real(key, *args, **kwargs)

        return call

    for name in ("add", "get", "incr"):
        monkeypatch.setattr(cache, name, failing_for_demand(getattr(cache, name)))
    counting._salts.clear()
    assert get(client, "/reports/").status_code == 200
    assert counters() == {}


def test_a_failing_database_write_drops_the_batch_quietly(city, monkeypatch):
    counting.add((city.pk, __import__("datetime").date(2026, 5, 6), "visit", "help"))
    monkeypatch.setattr(counting, "_add_row", lambda *a: (_ for _ in ()).throw(RuntimeError("db down")))
    assert counting.flush() == 0
    assert counting.pending() == 0


def _search(city, ip: str, query: str, found: int = 0) -> None:
    request = RequestFactory().get("/help/", HTTP_USER_AGENT=PHONE, REMOTE_ADDR=ip)
    request.resolver_match = resolve("/help/")
    usage.note_search(request, scope="help", query=query, found=found)
    count(request, HttpResponse())


def test_search_text_is_kept_only_when_several_people_searched_it(city, counting_on):
    _search(city, "192.0.2.1", "Вывоз  ЁЛОК")
    _search(city, "192.0.2.1", "вывоз ёлок")  # the same person again
    _search(city, "192.0.2.2", "вывоз ёлок")
    counting.flush()
    assert counters()[("search_empty", "help")] == 2
    assert ("search_term", "help:вывоз ёлок") not in counters()  # two people: not yet
    _search(city, "192.0.2.3", "вывоз ёлок")
    _search(city, "192.0.2.4", "вывоз ёлок")
    counting.flush()
    assert counters()[("search_term", "help:вывоз ёлок")] == 4


@pytest.mark.parametrize("query", ["ул. Ленина 5", "ivan@example.org", "+7 900 123", "x" * 60, "a b c d e f"])
def test_search_text_that_may_identify_is_never_kept(city, counting_on, query):
    for i in range(5):
        _search(city, f"192.0.2.{i}", query)
    counting.flush()
    assert counters()[("search_empty", "help")] == 5
    assert not DemandCounter.objects.filter(kind="search_term").exists()


def test_a_search_with_results_is_no_unmet_need(city, counting_on):
    _search(city, "192.0.2.1", "ёлки", found=3)
    counting.flush()
    assert not DemandCounter.objects.filter(kind__startswith="search").exists()
    assert counters()[("visit", "help")] == 1


def _view_names() -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_counted_url_name_exists_so_a_rename_cannot_silently_stop_a_count():
    names = _view_names()
    namespaces = {n.split(":")[0] for n in names if ":" in n}
    waiting = {"news", "stats", "consultations"}  # apps of issue 13 not in this branch yet
    for service in catalog.SERVICES:
        for view in service.views:
            if view.endswith(":*"):
                assert view[:-2] in namespaces | waiting, view
            else:
                assert view in names, view
    for funnel in catalog.FUNNELS:
        for step in funnel.steps:
            assert step.view in names or step.view.split(":")[0] in waiting, step.view


def test_funnel_steps_by_method_and_answer():
    assert catalog.funnel_steps("GET", "budgeting:ballot", 200) == ["ballot:opened"]
    assert catalog.funnel_steps("POST", "budgeting:ballot", 400) == ["ballot:sent"]
    assert catalog.funnel_steps("POST", "budgeting:ballot", 302) == ["ballot:sent", "ballot:cast"]
    assert catalog.funnel_steps("GET", "budgeting:ballot", 404) == []
    assert catalog.funnel_steps("GET", "reports-list", 200) == []


def test_a_planned_works_search_without_result_is_counted_as_unmet(client, city, counting_on):
    get(client, "/news/works/?q=несуществующая+улица")
    get(client, "/news/stories/")
    assert counters()[("search_empty", "news")] == 1
    assert counters()[("visit", "news")] == 1  # the stories page is part of the news service (one visitor)
