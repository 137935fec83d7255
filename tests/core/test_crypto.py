import pytest
from cryptography.fernet import Fernet

from gorod.core import crypto


@pytest.fixture
def keys(settings):
    def use(*keys):
        settings.GOROD_PII_KEYS = list(keys)
        crypto.reset_keys()

    yield use
    crypto.reset_keys()


def test_round_trip_and_ciphertext_hides_the_value(keys):
    keys(Fernet.generate_key().decode())
    token = crypto.encrypt("ivan@example.org")
    assert "ivan" not in token and crypto.decrypt(token) == "ivan@example.org"


def test_rotation_keeps_old_values_readable_and_rewrites_them_under_the_new_key(keys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys(old)
    token = crypto.encrypt("+7 900")
    keys(new, old)
    assert crypto.decrypt(token) == "+7 900"
    rotated = crypto.rotate(token)
    keys(new)
    assert crypto.decrypt(rotated) == "+7 900"
    with pytest.raises(ValueError):
        crypto.decrypt(token)


def test_lookup_hash_normalises_and_is_keyed(settings):
    assert crypto.lookup_hash(" A@B.org ") == crypto.lookup_hash("a@b.org")
    before = crypto.lookup_hash("a@b.org")
    settings.SECRET_KEY = "another-secret"
    assert crypto.lookup_hash("a@b.org") != before


@pytest.mark.django_db
def test_rotate_pii_keys_moves_every_report_to_the_new_key(keys, frozen_spring, file_report):
    from django.core.management import call_command

    from gorod.reports.models import Report

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys(old)
    report = file_report(contact_phone="+7 900")
    keys(new, old)
    call_command("rotate_pii_keys")
    keys(new)
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.contact_name, fresh.contact_email, fresh.contact_phone) == (
        "Иван Петров", "ivan@example.org", "+7 900"
    )  # fmt: skip


@pytest.mark.django_db
def test_rotate_pii_keys_moves_accounts_and_the_outbox_too_and_is_audited(keys, city, capsys):
    """Dropping the old key after a rotation must leave every encrypted column readable, not only the
    reports' contact details: accounts, queued mails, follows by e-mail."""
    from django.core.management import call_command

    from gorod.accounts.models import User
    from gorod.core.models import AuditEntry
    from gorod.notifications.models import Delivery
    from gorod.notifications.services import email_enqueue

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys(old)
    user = User.objects.create_user(
        username="olga", password="x", email="olga@example.org", display_name="Ольга"
    )
    mail = email_enqueue(to="olga@example.org", subject="Привет", body="Текст", key="rotation-test")
    keys(new, old)
    call_command("rotate_pii_keys")
    keys(new)
    user = User.objects.get(pk=user.pk)
    assert (user.email_address, user.display_name) == ("olga@example.org", "Ольга")
    assert Delivery.objects.get(pk=mail.pk).recipient == "olga@example.org"
    entry = AuditEntry.objects.get(action="pii.rotate_keys")
    assert entry.origin == "command" and entry.detail["rows"] >= 2
    assert "accounts.User: 1 rows" in capsys.readouterr().out
