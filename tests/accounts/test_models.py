"""The account's e-mail is encrypted at rest, found by its keyed hash, and unique; rules-declared
permissions give a superuser no shortcut."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from gorod.accounts.models import User
from gorod.core import crypto

pytestmark = pytest.mark.django_db


def _raw(user: User) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT email_encrypted, email_hash FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()


def test_email_is_stored_encrypted_with_a_lookup_hash(citizen):
    stored, digest = _raw(citizen)
    assert "example" not in stored.lower() and stored
    assert digest == crypto.lookup_hash("anna.citizen@example.org")
    fresh = User.objects.get(pk=citizen.pk)
    assert fresh.email == fresh.email_address == "Anna.Citizen@example.org"  # Django lower-cases the domain


def test_the_plain_email_column_is_gone():
    columns = [
        c.name for c in connection.introspection.get_table_description(connection.cursor(), "accounts_user")
    ]
    assert "email" not in columns and "email_encrypted" in columns


def test_an_account_is_found_by_email_in_any_case(citizen):
    assert User.objects.get_by_email("  anna.citizen@EXAMPLE.org ") == citizen
    assert User.objects.get_by_email("someone@example.org") is None
    assert User.objects.get_by_email("") is None


def test_two_accounts_cannot_share_an_address(citizen, make_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("twin", email="ANNA.citizen@example.org")


def test_accounts_without_an_address_do_not_clash(make_user):
    make_user("a1")
    make_user("a2")
    assert User.objects.filter(email_hash="").count() == 2


def test_changing_the_address_unconfirms_it(citizen):
    citizen.email_verified = True
    citizen.email = "anna.citizen@example.org "  # the same address, trimmed
    assert citizen.email_verified
    citizen.email = "new@example.org"
    assert not citizen.email_verified and citizen.email_hash == crypto.lookup_hash("new@example.org")
    citizen.email = None
    assert citizen.email == "" and citizen.email_hash == ""


def test_a_superuser_gets_no_shortcut_past_report_permissions(file_report, make_user):
    report = file_report()
    boss = make_user("boss", role=User.Role.CITIZEN, is_superuser=True, is_staff=True)
    assert not boss.has_perm("reports.accept", report)
    assert not boss.has_perm("reports.confirm", report)
    assert not boss.has_perm("reports.view_backoffice")
    # Django's own model permissions (the admin) still work for a superuser.
    assert boss.has_perm("reports.change_report")
