"""What every answer tells the browser (Permissions-Policy, the CSP's image sources), and how refusals
are logged."""

from __future__ import annotations

import logging

import pytest

from gorod.accounts.models import User
from gorod.core.headers import tile_sources

pytestmark = pytest.mark.django_db


def _policy(response, directive: str) -> list[str]:
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        if name == directive:
            return values
    raise AssertionError(f"no {directive} in {response['Content-Security-Policy']}")


def test_every_page_denies_the_browser_features_it_does_not_use(client):
    policy = client.get("/account/login/")["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    assert features["geolocation"] == "(self)"  # the report form's "where am I"
    for denied in ("camera", "microphone", "payment", "usb"):
        assert features[denied] == "()"


def test_images_come_only_from_the_site_and_the_tile_server(client):
    sources = _policy(client.get("/account/login/"), "img-src")
    assert "*" not in sources and "https:" not in sources
    assert set(sources) == {"'self'", "data:", "blob:", *tile_sources("")}


@pytest.mark.parametrize(
    ("tile_url", "sources"),
    [
        ("", ["https://tile.openstreetmap.org"]),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://tile.openstreetmap.org"]),
        ("https://{s}.tiles.example.org/{z}/{x}/{y}.png", ["https://*.tiles.example.org"]),
        ("http://tiles.example.org:8080/{z}/{x}/{y}.png?key=k", ["http://tiles.example.org:8080"]),
        ("/tiles/{z}/{x}/{y}.png", []),  # served by Gorod itself: 'self' covers it
        ("pmtiles:///static/city.pmtiles", []),
    ],
)
def test_the_tile_host_is_read_from_the_tile_url(tile_url, sources):
    assert tile_sources(tile_url) == sources


def test_a_refusal_is_logged_in_one_line_without_a_traceback(client, caplog):
    client.force_login(User.objects.create_user(username="anna"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post("/account/two-factor/backup-codes/")  # staff only: a citizen is refused
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Forbidden")
    assert record.exc_info is None and not record.exc_text


def test_server_errors_keep_their_traceback():
    from gorod.core.logs import NoTracebackFor403

    failure = (ValueError, ValueError(), None)
    error = logging.LogRecord("django.request", logging.ERROR, "", 0, "boom", (), failure)
    error.status_code = 500
    assert NoTracebackFor403().filter(error) and error.exc_info is not None
