"""gorod.wsgi answers the API paths through a shorter middleware chain (settings.GOROD_LEAN_PATHS) and
people's pages through the full one (issue 10, docs/decisions.md "Lean requests")."""

from __future__ import annotations

import io
import json
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from gorod.wsgi import LEAN_URLCONF, _full, _lean, application
from tests.open311.conftest import JURISDICTION

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real handler closes the database connection after each request, which would end the test's
    transaction (PostgreSQL); Django's test client disconnects the same signal handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(path: str, query: str = "", method: str = "GET", headers: dict | None = None, body: bytes = b""):
    environ = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": method,
        "SERVER_NAME": "testserver",
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        **(headers or {}),
    }
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"] = int(status.split()[0])
        seen["headers"] = response_headers

    # Again on every call: Django's test client connects them back after each of its requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    chunks = application(environ, start_response)
    content = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return seen["status"], seen["headers"], content


def header_names(headers) -> set[str]:
    return {name.lower() for name, _ in headers}


def test_the_lean_chain_leaves_out_only_what_people_pages_need():
    lean = set(settings.GOROD_LEAN_MIDDLEWARE)
    assert lean < set(settings.MIDDLEWARE)
    assert "django.contrib.sessions.middleware.SessionMiddleware" not in lean
    # What shapes or protects an answer stays.
    for kept in (
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "gorod.city.middleware.RequestHostMiddleware",
        "gorod.core.audit.OriginMiddleware",
        "gorod.core.csp_middleware.CSPMiddleware",
    ):
        assert kept in lean
    assert _lean._middleware_chain is not _full._middleware_chain


def test_open311_through_the_lean_chain_answers_as_the_full_one(client, city):
    status, headers, body = call("/open311/v2/services.json", f"jurisdiction_id={JURISDICTION}")
    assert status == 200
    assert json.loads(body) == client.get(f"/open311/v2/services.json?jurisdiction_id={JURISDICTION}").json()
    names = header_names(headers)
    assert {"x-frame-options", "permissions-policy", "content-language", "etag"} <= names
    assert "set-cookie" not in names and "vary" in names
    # English by Accept-Language, as on the full chain.
    _, _, english = call(
        "/open311/v2/services.json", f"jurisdiction_id={JURISDICTION}", headers={"HTTP_ACCEPT_LANGUAGE": "en"}
    )
    assert "Pothole" in english.decode()


def test_a_refusal_and_an_unknown_resource_keep_their_open311_shape(city):
    status, _, body = call("/open311/v2/services.json", "jurisdiction_id=nowhere.example")
    assert status == 404 and json.loads(body)[0]["code"] == 404
    status, _, body = call("/open311/v2/nothing-here.json")
    assert status == 404 and json.loads(body)[0]["code"] == 404
    form = {"CONTENT_TYPE": "application/x-www-form-urlencoded"}
    status, _, body = call("/open311/v2/requests.json", method="POST", body=b"api_key=wrong", headers=form)
    assert status == 403 and json.loads(body)[0]["code"] == 403


def test_pages_for_people_still_get_the_full_chain(city):
    status, headers, _ = call("/reports/new/")
    assert status in (200, 302)
    # The form page sets the CSRF cookie, which only the full chain does.
    assert status == 302 or "set-cookie" in header_names(headers)


def test_a_kept_services_answer_reads_nothing_from_the_database(city):
    call("/open311/v2/services.json", f"jurisdiction_id={JURISDICTION}")
    with CaptureQueriesContext(connection) as queries:
        status, _, _ = call("/open311/v2/services.json", f"jurisdiction_id={JURISDICTION}")
    assert status == 200
    assert [q["sql"] for q in queries] == []


@pytest.mark.parametrize(
    "path",
    [
        "/healthz",
        "/open311/v2/discovery.json",
        "/open311/v2/services.xml",
        "/open311/v2/services/pothole.json",
        "/open311/v2/requests.json",
        "/open311/v2/requests/17.xml",
        "/open311/v2/servicerequestupdates.json",
        "/open311/v2/no/such/thing",
    ],
)
def test_the_lean_urls_resolve_every_lean_path_to_the_site_s_own_view(path):
    lean, site = resolve(path, urlconf=LEAN_URLCONF), resolve(path)
    assert (lean.func, lean.view_name, lean.kwargs) == (site.func, site.view_name, site.kwargs)


def test_the_lean_urls_reverse_every_name_of_the_site():
    for name in ("home", "reports-map-json", "healthz", "api:openapi-json"):
        assert reverse(name, urlconf=LEAN_URLCONF) == reverse(name)
    with pytest.raises(Resolver404):
        resolve("/healthzz", urlconf=LEAN_URLCONF)


def test_a_lean_path_is_resolved_with_the_lean_urls(city):
    status, _, body = call("/open311/v2/requests/999999.json")
    assert status == 404 and json.loads(body)[0]["code"] == 404
    status, _, _ = call("/healthzz")  # under a lean prefix, but no such page: Django's 404
    assert status == 404
