"""The staff second factor: enrolment (QR code as inline SVG, secret as text, confirmed by a first code),
verification by TOTP or a backup code, and refusals that say what went wrong."""

from __future__ import annotations

import logging

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gorod.accounts.models import User
from gorod.accounts.services import BACKUP_CODES

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    """What the staff member's app shows now (django-otp checks against the real time, not core.clock)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def signed_in(client, staff_member):
    client.force_login(staff_member)
    return client


@pytest.fixture
def enrolled(staff_member):
    return TOTPDevice.objects.create(user=staff_member, name="authenticator", confirmed=True)


def test_enrolment_shows_a_qr_code_and_the_secret(signed_in, staff_member):
    page = signed_in.get("/account/otp/?next=/backoffice/")
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=staff_member, confirmed=False)
    assert '<svg role="img"' in html and "<title>" in html and "<script" not in html.split("</header>")[1]
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    assert secret[:4] in html and secret[4:8] in html
    assert signed_in.get("/account/otp/").status_code == 200
    assert TOTPDevice.objects.filter(user=staff_member).count() == 1  # the same secret until confirmed


def test_enrolment_is_confirmed_by_a_first_code_and_gives_backup_codes(signed_in, staff_member):
    signed_in.get("/account/otp/")
    device = TOTPDevice.objects.get(user=staff_member)
    response = signed_in.post("/account/otp/", {"code": code_for(device), "next": "/backoffice/"})
    assert response.status_code == 200
    html = response.content.decode()
    codes = list(StaticToken.objects.filter(device__user=staff_member).values_list("token", flat=True))
    assert len(codes) == BACKUP_CODES and all(code in html for code in codes)
    assert 'href="/backoffice/"' in html
    device.refresh_from_db()
    assert device.confirmed
    assert signed_in.get("/account/").status_code == 200  # verified for this session


def test_a_wrong_enrolment_code_is_refused(signed_in, staff_member, caplog):
    signed_in.get("/account/otp/")
    with caplog.at_level(logging.WARNING, logger="gorod.accounts"):
        response = signed_in.post("/account/otp/", {"code": "000000"})
    assert response.status_code == 400 and "not right" in response.content.decode()
    assert not TOTPDevice.objects.get(user=staff_member).confirmed
    assert "enrolment refused" in caplog.text and "pyotr" not in caplog.text


def test_verification_with_the_app_code_follows_a_safe_next(signed_in, enrolled):
    page = signed_in.get("/account/otp/?next=/backoffice/")
    assert page.status_code == 200 and "6-digit" in page.content.decode()
    response = signed_in.post("/account/otp/", {"code": code_for(enrolled), "next": "/backoffice/"})
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert signed_in.get("/account/").status_code == 200
    back_office = signed_in.get("/backoffice/")  # its home may send an executor on to the queue
    assert back_office.status_code in (200, 302) and not back_office.get("Location", "").startswith(
        "/account/"
    )


def test_a_code_cannot_be_used_twice(client, staff_member, enrolled):
    code = code_for(enrolled)
    client.force_login(staff_member)
    assert client.post("/account/otp/", {"code": code}).status_code == 302
    client.post("/account/logout/")
    client.force_login(staff_member)
    response = client.post("/account/otp/", {"code": code})
    assert response.status_code == 400 and "not right" in response.content.decode()


@pytest.mark.parametrize("code", ["", "12345", "abc def ghi jkl mno", "<script>", "1" * 40, "12\x0034"])
def test_malformed_codes_are_refused_clearly(signed_in, enrolled, code):
    response = signed_in.post("/account/otp/", {"code": code})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode().split("</header>")[1]
    assert signed_in.get("/backoffice/").status_code == 302


def test_wrong_codes_are_throttled(signed_in, enrolled, caplog):
    signed_in.post("/account/otp/", {"code": "000000"})
    with caplog.at_level(logging.WARNING, logger="gorod.accounts"):
        response = signed_in.post("/account/otp/", {"code": code_for(enrolled)})  # even the right one, now
    assert response.status_code == 400 and "Too many wrong codes" in response.content.decode()
    assert "throttled" in caplog.text


def test_a_backup_code_works_once(client, staff_member, enrolled):
    from gorod.accounts.services import backup_codes_regenerate

    codes = backup_codes_regenerate(user=staff_member)
    client.force_login(staff_member)
    assert client.post("/account/otp/", {"code": codes[0].upper()})["Location"] == "/account/"
    client.post("/account/logout/")
    client.force_login(staff_member)
    assert client.post("/account/otp/", {"code": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=staff_member).count() == BACKUP_CODES - 1


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_the_code_step_refuses_open_redirects(signed_in, enrolled, target):
    response = signed_in.post("/account/otp/", {"code": code_for(enrolled), "next": target})
    assert response["Location"] == "/account/"


def test_citizens_need_no_second_factor(client, citizen):
    client.force_login(citizen)
    assert client.get("/account/otp/?next=/reports/")["Location"] == "/reports/"
    assert client.get("/account/").status_code == 200


def test_the_code_step_needs_a_password_first(client):
    assert client.get("/account/otp/?next=/backoffice/")["Location"].startswith("/account/login/")


def test_a_verified_staff_member_is_sent_on(signed_in, enrolled):
    signed_in.post("/account/otp/", {"code": code_for(enrolled)})
    assert signed_in.get("/account/otp/?next=/backoffice/")["Location"] == "/backoffice/"


def test_new_backup_codes_replace_the_old_ones(signed_in, staff_member, enrolled):
    signed_in.post("/account/otp/", {"code": code_for(enrolled)})
    first = signed_in.post("/account/two-factor/backup-codes/")
    old = set(StaticToken.objects.filter(device__user=staff_member).values_list("token", flat=True))
    second = signed_in.post("/account/two-factor/backup-codes/")
    new = set(StaticToken.objects.filter(device__user=staff_member).values_list("token", flat=True))
    assert first.status_code == second.status_code == 200 and second["Cache-Control"] == "no-store"
    assert len(new) == BACKUP_CODES and not (old & new)
    assert signed_in.get("/account/two-factor/backup-codes/").status_code == 405


def test_backup_codes_cannot_be_made_without_the_second_factor(signed_in, staff_member, enrolled):
    response = signed_in.post("/account/two-factor/backup-codes/")
    assert response["Location"].startswith("/account/otp/")
    assert not StaticToken.objects.filter(device__user=staff_member).exists()


def test_every_staff_role_needs_the_code_and_no_citizen_does(client, city, make_user):
    for role in User.Role.values:
        user = make_user(f"u-{role}", role=role)
        client.force_login(user)
        response = client.get("/account/")
        # An outside expert is not staff: it reaches no back office, only what an invitation names.
        if role in (User.Role.CITIZEN, User.Role.EXPERT):
            assert response.status_code == 200
        else:
            assert response["Location"] == "/account/otp/?next=%2Faccount%2F", role
        client.post("/account/logout/")
