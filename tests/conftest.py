"""Shared fixtures. Data is built through the real services (city_import, report_create)."""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from PIL import Image

from gorod.core import clock

DATA = Path(__file__).parent / "data"
MSK = ZoneInfo("Europe/Moscow")
# A Wednesday in May: in season for graffiti, out of season for snow.
SPRING_DAY = dt.datetime(2026, 5, 13, 10, 0, tzinfo=MSK)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Name the test databases after this run, not only after the xdist worker: two runs beside each
    other on one PostgreSQL server (two clones, two CI jobs) would otherwise drop each other's."""
    from django.conf import settings

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:12]
    for db in settings.DATABASES.values():
        if db["ENGINE"] == "django.db.backends.sqlite3":
            continue  # in memory, private to the process
        test = db.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_{run}"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GOROD_PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.GOROD_HELD_PHOTOS_DIR = tmp_path / "held-photos"
    settings.GOROD_OPEN_DATA_DIR = tmp_path / "open-data"  # a test running the worker's jobs writes here


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import cache

    from gorod.city import selectors
    from gorod.city.districts import invalidate_districts
    from gorod.reports import clustering

    invalidate_districts()
    selectors.invalidate_caches()
    clustering.reset()  # the map index would otherwise outlive the test database it was read from
    cache.clear()
    yield
    invalidate_districts()
    selectors.invalidate_caches()
    clustering.reset()


@pytest.fixture
def frozen_spring():
    with clock.frozen(SPRING_DAY) as at:
        yield at


@pytest.fixture(scope="session")
def _city_rows() -> dict:
    return {}


@pytest.fixture
def city(db, _city_rows):
    """The test city as city_import_file writes it: imported by the first test of the run, its rows
    written back as they were by later ones (see replay.py) unless something already in the database
    makes that impossible, when the file is imported again. This holds while what the import writes
    for a new municipality depends only on the file and the clock, as it does."""
    from gorod.city import selectors
    from gorod.city.districts import invalidate_districts
    from gorod.city.models import Municipality
    from gorod.city.services import city_import_file
    from tests import replay

    if _city_rows and replay.replay(_city_rows["rows"]):
        muni = Municipality.objects.get(pk=_city_rows["pk"])
    else:
        muni, rows = replay.record(lambda: city_import_file(DATA / "test_city.yaml"))
        if muni in rows.get(Municipality, []):  # a whole city was written, not an update of one
            _city_rows.update(rows=rows, pk=muni.pk)
    invalidate_districts()
    selectors.invalidate_caches()
    return muni


@pytest.fixture
def categories(city):
    return {c.service_code: c for c in city.categories.all()}


def make_jpeg(size=(640, 480), color=(200, 40, 40), exif_gps: bool = False, fmt: str = "JPEG") -> bytes:
    """A photo as a phone would send it, optionally with EXIF GPS tags."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif_gps and fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps = {1: "N", 2: (59.0, 56.0, 30.0), 3: "E", 4: (30.0, 18.0, 0.0)}
        exif[0x8825] = gps
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def jpeg_bytes():
    return make_jpeg()


@pytest.fixture
def new_report(categories):
    """Build a valid NewReport for the pothole category in the north district; override by keyword."""
    from gorod.reports.services import NewReport

    def build(**overrides) -> NewReport:
        fields = dict(
            category=categories["pothole"],
            lat=60.0,
            lon=30.3,
            description="Глубокая яма у дома 5",
            attributes={"depth": "12"},
            contact_name="Иван Петров",
            contact_email="ivan@example.org",
        )
        fields.update(overrides)
        return NewReport(**fields)

    return build


@pytest.fixture
def file_report(city, new_report):
    """File a report through the real service."""
    from gorod.reports.services import report_create

    def file(**overrides):
        return report_create(municipality=city, data=new_report(**overrides))

    return file


SLOW_MACHINE = " PRAGMA busy_timeout=600000;"


@pytest.fixture
def real_database(tmp_path):
    """For tests that run real threads with real transactions (budgeting's parallel votes, the worker's
    concurrent fan-outs). SQLite's test database lives in memory with a shared cache, where concurrent
    writers fail at once with "table is locked" instead of queueing. Production runs on a file (WAL,
    BEGIN IMMEDIATE, busy timeout), so for SQLite the test copies the database to a file and every
    connection uses it."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "real.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    # New threads build their connections from connections.settings, a different dict from the
    # current connection's settings_dict: both must point at the file. The in-memory connection of this
    # thread is kept aside (closing it would destroy the test database) and put back afterwards.
    memory = connections[connection.alias]
    settings_dict = connections.settings[connection.alias]
    original, options = settings_dict["NAME"], settings_dict.get("OPTIONS", {})
    settings_dict["NAME"] = str(path)
    # Many writers queue for SQLite's one write lock; on a loaded machine the last may wait longer than
    # production's busy timeout. What is tested is the outcome, not the machine's speed.
    settings_dict["OPTIONS"] = {**options, "init_command": options.get("init_command", "") + SLOW_MACHINE}
    connections[memory.alias] = connections.create_connection(memory.alias)
    try:
        yield
    finally:
        connections[memory.alias].close()
        settings_dict["NAME"], settings_dict["OPTIONS"] = original, options
        connections[memory.alias] = memory


@pytest.fixture
def write_limits(settings):
    """The limits on writes as an installation has them (the tests run with them off)."""
    settings.GOROD_RATE_LIMITS_ENABLED = True
    return settings


@pytest.fixture
def addresses_confirmed(monkeypatch):
    """For tests about something other than the confirmation of addresses (the outbox's retries, the
    fan-out, privacy): every address the worker meets counts as confirmed, as its owner's would after the
    first mail. tests/notifications/test_mail_addresses.py tests the confirmation itself, without this."""
    from gorod.notifications import addresses
    from gorod.notifications.models import MailAddress

    real = addresses.locked_address

    def confirmed(address_hash: str) -> MailAddress:
        address = real(address_hash)
        if address.state == MailAddress.State.UNCONFIRMED:
            address.state = MailAddress.State.CONFIRMED
            address.save(update_fields=["state"])
        return address

    monkeypatch.setattr(addresses, "locked_address", confirmed)
