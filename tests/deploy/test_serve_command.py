"""`gorod serve`: its addresses and its refusals (the real server runs in test_nginx_gunicorn.py)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from gorod.core.management.commands.serve import bind_address, default_workers


@pytest.mark.parametrize(
    ("bind", "port", "address"),
    [
        ("127.0.0.1", 8000, "127.0.0.1:8000"),
        ("0.0.0.0", 8080, "0.0.0.0:8080"),  # noqa: S104  (a test of the address, nothing binds)
        ("10.0.0.5:9000", 8000, "10.0.0.5:9000"),
        ("::1", 8000, "[::1]:8000"),
        ("[::1]:9000", 8000, "[::1]:9000"),
        ("unix:/run/gorod/web.sock", 8000, "unix:/run/gorod/web.sock"),
    ],
)
def test_bind_address(bind, port, address):
    assert bind_address(bind, port) == address


def test_one_worker_per_core_by_default():
    assert default_workers() >= 1


def test_refuses_nonsense_and_a_missing_manifest(settings, tmp_path):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("serve", "--workers", "0")
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    with pytest.raises(CommandError, match="collectstatic"):
        call_command("serve")
