"""The read-replica router (core.replica): marked public reads go to the "replica" alias, writes and
reads inside a transaction to the primary. Under tests the alias mirrors the test database (settings),
as a second alias pointing at the same server: the routing is what is tested, not replication."""

from __future__ import annotations

import pytest
from django.db import connections, router, transaction

from gorod.accounts.models import User
from gorod.core.replica import REPLICA, reads_from_replica
from gorod.reports.models import Report

# Committed rows: the mirror is a second connection, which on SQLite cannot see into a test transaction.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def _routed(settings):
    settings.DATABASE_ROUTERS = ["gorod.core.replica.ReplicaRouter"]


def test_reads_go_to_the_replica_only_when_asked():
    assert router.db_for_read(Report) == "default"
    with reads_from_replica():
        assert router.db_for_read(Report) == REPLICA
        assert Report.objects.all().db == REPLICA
    assert router.db_for_read(Report) == "default"


def test_writes_and_reads_in_a_transaction_stay_on_the_primary():
    with reads_from_replica():
        assert router.db_for_write(Report) == "default"
        with transaction.atomic():
            assert router.db_for_read(Report) == "default"


def test_accounts_and_sessions_are_never_read_from_the_replica():
    with reads_from_replica():
        assert router.db_for_read(User) == "default"


def test_the_report_list_reads_reports_through_the_replica(city, file_report, client):
    report = file_report()
    with connections[REPLICA].execute_wrapper(_record) as _:
        _record.seen.clear()
        page = client.get("/reports/")
    assert page.status_code == 200
    assert any("reports_report" in sql for sql in _record.seen)
    assert str(report.pk) in page.content.decode()


def _record(execute, sql, params, many, context):
    _record.seen.append(sql)
    return execute(sql, params, many, context)


_record.seen = []  # type: ignore[attr-defined]
