"""An import in one process is seen by the others at their next request (city.generation): the shared
generation changes and each process forgets its caches of the city configuration when it notices."""

from __future__ import annotations

import uuid

from django.core.cache import cache

from gorod.city import generation, selectors
from gorod.city.districts import _indexes, district_at


def another_process_imported() -> None:
    # What bump() in another process leaves in the shared cache; this process's caches are untouched.
    cache.set(generation.KEY, uuid.uuid4().hex, None)


def test_a_bump_elsewhere_makes_this_process_forget_its_city_caches(city):
    generation.check()
    district_at(city.pk, city.center_lat, city.center_lon)
    selectors.municipalities()
    assert _indexes and selectors._municipalities
    assert generation.check() is False  # nothing changed: the caches stay
    assert _indexes

    another_process_imported()
    assert generation.check() is True
    assert not _indexes and not selectors._municipalities
    assert generation.check() is False


def test_every_request_checks_once(city, client):
    generation.check()
    selectors.municipalities()
    another_process_imported()
    client.get("/healthz")
    assert not selectors._municipalities


def test_an_import_bumps_the_generation(city, django_capture_on_commit_callbacks):
    from gorod.city.services import city_import_file
    from tests.conftest import DATA

    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        city_import_file(DATA / "test_city.yaml")
    assert generation.current() != before


def test_a_flushed_cache_is_not_an_import(city):
    """Redis restarted or flushed: the next check makes a new generation and keeps the caches (a page
    after a flush costs no more than before it)."""
    generation.check()
    selectors.municipalities()
    cache.clear()
    assert generation.check() is False
    assert selectors._municipalities
