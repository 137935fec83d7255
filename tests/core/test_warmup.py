"""core.warmup runs the loaders named in settings, in a thread; one that fails stops none of the others."""

from __future__ import annotations

import pytest

from gorod.core import warmup

calls: list[str] = []


def first() -> None:
    calls.append("first")


def broken() -> None:
    calls.append("broken")
    raise RuntimeError("no database yet")


def last() -> None:
    calls.append("last")


@pytest.fixture(autouse=True)
def _clear():
    calls.clear()


def test_every_loader_runs_in_order_and_a_failure_is_logged_not_raised(settings, caplog):
    settings.GOROD_WARM_UP = [f"{__name__}.first", f"{__name__}.broken", f"{__name__}.last"]
    thread = warmup.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert calls == ["first", "broken", "last"]
    assert any("broken" in r.getMessage() and r.exc_info for r in caplog.records)


def test_the_configured_loaders_exist():
    from django.conf import settings
    from django.utils.module_loading import import_string

    assert all(callable(import_string(path)) for path in settings.GOROD_WARM_UP)
