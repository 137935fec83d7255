"""The audit trail: append-only, hash-chained, and `gorod audit_verify` names the first broken entry."""

from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from gorod.core import audit
from gorod.core.models import AuditEntry, AuditHead

pytestmark = pytest.mark.django_db


def _three():
    for n in range(3):
        audit.record(action="report.contacts_viewed", object_type="report", object_id=n, detail={"n": n})


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_entries_chain_each_to_the_one_before(capsys):
    _three()
    first, second, third = AuditEntry.objects.order_by("seq")
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert first.prev_hash == "" and second.prev_hash == first.hash and third.prev_hash == second.hash
    assert AuditHead.objects.get().hash == third.hash
    call_command("audit_verify")
    assert "intact: 3 entries" in capsys.readouterr().out


def test_a_row_edited_in_the_database_is_named_by_audit_verify():
    _three()
    second = AuditEntry.objects.get(seq=2)
    _sql("UPDATE core_auditentry SET object_id = %s WHERE id = %s", "999", second.pk)
    with pytest.raises(CommandError, match=rf"entry #2 \(row id {second.pk}\): its content does not match"):
        call_command("audit_verify")


def test_a_row_deleted_in_the_database_is_named_by_audit_verify():
    _three()
    _sql("DELETE FROM core_auditentry WHERE seq = 2")
    with pytest.raises(CommandError, match=r"entry #3 .*entries 2–2 are missing"):
        call_command("audit_verify")


def test_entries_cut_off_the_end_are_noticed():
    _three()
    _sql("DELETE FROM core_auditentry WHERE seq = 3")
    with pytest.raises(CommandError, match=r"entry #3: the head counts 3 entries"):
        call_command("audit_verify")


def test_a_row_rewritten_with_a_recomputed_plain_hash_still_breaks_the_link():
    """Re-hashing the edited row without the key is not enough: the key is not in the database."""
    import hashlib

    _three()
    second = AuditEntry.objects.get(seq=2)
    _sql(
        "UPDATE core_auditentry SET hash = %s WHERE id = %s", hashlib.sha256(b"forged").hexdigest(), second.pk
    )
    with pytest.raises(CommandError, match=r"entry #2"):
        call_command("audit_verify")


def test_the_orm_refuses_to_change_or_delete_entries():
    _three()
    entry = AuditEntry.objects.first()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()


def test_detail_holds_plain_values_only():
    with pytest.raises(TypeError):
        audit.record(action="x", detail={"user": object()})  # type: ignore[dict-item]


def test_the_origin_is_the_client_address_of_the_request(client, settings):
    from gorod.core.audit import _origin

    seen = []

    def view_records(request):
        from django.http import HttpResponse

        seen.append(_origin.get())
        return HttpResponse("ok")

    middleware = audit.OriginMiddleware(view_records)
    from django.test import RequestFactory

    middleware(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7"))
    assert seen == ["203.0.113.7"] and _origin.get() == ""
    with audit.origin("command"):
        assert audit.record(action="x").origin == "command"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(real_database):
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(5):
                audit.record(action="test.concurrent", object_type="thread", object_id=f"{n}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 21))
    assert audit.verify().intact
