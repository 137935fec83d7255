"""Demo accounts: staff get the published TOTP secret and backup codes, `gorod demo_totp` prints the code
for demo accounts only, and the citizen's e-mail is encrypted like everyone's."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gorod.accounts.models import User
from gorod.demo.accounts import (
    DEMO_BACKUP_CODES,
    DEMO_PASSWORD,
    DEMO_TOTP_KEY,
    DEMO_TOTP_SECRET,
    demo_accounts_ensure,
    describe,
)
from tests.accounts.conftest import _english  # noqa: F401  (autouse: as in tests/accounts)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(city):
    return demo_accounts_ensure(city)


def test_staff_demo_accounts_have_the_published_second_factor(demo):
    for username, user in demo.items():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if user.role in (User.Role.CITIZEN, User.Role.EXPERT):  # not staff: no second factor
            assert not devices.exists()
            continue
        (device,) = devices
        assert device.key == DEMO_TOTP_KEY, username
        codes = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
        assert codes == set(DEMO_BACKUP_CODES)


def test_seeding_again_restores_used_backup_codes_and_keeps_one_device(demo, city):
    StaticToken.objects.filter(device__user=demo["moderator"]).first().delete()
    demo_accounts_ensure(city)
    assert StaticToken.objects.filter(device__user=demo["moderator"]).count() == len(DEMO_BACKUP_CODES)
    assert TOTPDevice.objects.filter(user=demo["moderator"]).count() == 1


def test_demo_totp_prints_the_current_code(demo):
    out = io.StringIO()
    call_command("demo_totp", "moderator", stdout=out)
    device = TOTPDevice.objects.get(user=demo["moderator"])
    assert out.getvalue().strip() == f"{totp(device.bin_key):06d}"


@pytest.mark.parametrize("username", ["citizen", "nobody", "pyotr"])
def test_demo_totp_refuses_other_accounts(demo, make_user, city, username):
    make_user("pyotr", role=User.Role.EXECUTOR)
    with pytest.raises(CommandError, match="Not a demo staff account"):
        call_command("demo_totp", username, stdout=io.StringIO())


def test_demo_totp_refuses_a_demo_account_whose_key_was_changed(demo):
    TOTPDevice.objects.filter(user=demo["head"]).update(key="00" * 20)
    with pytest.raises(CommandError):
        call_command("demo_totp", "head", stdout=io.StringIO())


def test_the_citizen_demo_email_is_encrypted(demo):
    citizen = User.objects.get(username="citizen")
    assert citizen.email_address == "anna.citizen@example.org" and citizen.email_verified
    with connection.cursor() as cursor:
        cursor.execute("SELECT email_encrypted FROM accounts_user WHERE username = 'citizen'")
        assert "example" not in cursor.fetchone()[0]


def test_describe_says_how_to_get_the_code(demo):
    text = "\n".join(describe())
    assert DEMO_PASSWORD in text and "gorod demo_totp USERNAME" in text and DEMO_TOTP_SECRET in text
    assert DEMO_BACKUP_CODES[0] in text


def test_a_demo_staff_member_signs_in_with_the_printed_code(demo, client):
    client.post("/account/login/", {"username": "executor", "password": DEMO_PASSWORD})
    out = io.StringIO()
    call_command("demo_totp", "executor", stdout=out)
    response = client.post("/account/otp/", {"code": out.getvalue().strip(), "next": "/account/"})
    assert response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200
