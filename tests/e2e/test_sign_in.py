"""Signing in, in a real browser: a staff member sets up and then uses the second factor (the code is
computed here from the device key, as the phone would), and a citizen signs up and comes in through the
e-mailed link (the outbox is delivered by the test, as the worker would)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gorod.accounts.models import User
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "staff-password-long"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _both_widths(page, name: str) -> None:
    for label, size in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        screenshot(page, f"{name}-{label}")
        # Nothing may stick out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], name


def _sign_in(page, username: str, password: str = PASSWORD, *, next_url: str = "") -> None:
    page.goto("/account/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").first.click()


def test_staff_set_up_the_second_factor_and_reach_the_back_office(page, city):
    roads = city.departments.get(slug="roads")
    User.objects.create_user(
        username="olga", password=PASSWORD, role=User.Role.DEPARTMENT_HEAD, department=roads
    )

    page.goto("/account/login/?next=/backoffice/")
    _both_widths(page, "accounts-login")
    _sign_in(page, "olga", next_url="/backoffice/")
    page.wait_for_url(re.compile(r"/account/otp/"))
    qr = page.locator("svg.otp-qr")
    qr.wait_for()
    assert qr.get_attribute("role") == "img"
    _both_widths(page, "accounts-otp-enrol")

    device = TOTPDevice.objects.get(user__username="olga", confirmed=False)
    secret = page.locator(".otp-secret code").inner_text().replace(" ", "")
    from base64 import b32encode

    assert secret == b32encode(device.bin_key).decode().rstrip("=")
    page.fill("#id_code", "000000")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator("#error-summary").is_visible()  # a wrong code says so
    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong code
    page.fill("#id_code", _code(device))
    page.locator("main form button[type=submit]").first.click()
    page.locator(".backup-codes").wait_for()
    assert page.locator(".backup-codes li").count() == 10
    _both_widths(page, "accounts-backup-codes")
    page.locator("main a.button").click()
    page.wait_for_url(re.compile(r"/backoffice/"))
    assert "/account/" not in page.url


def test_staff_sign_in_with_password_and_code(page, city):
    roads = city.departments.get(slug="roads")
    user = User.objects.create_user(
        username="pyotr", password=PASSWORD, role=User.Role.EXECUTOR, department=roads
    )
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)

    page.goto("/backoffice/")  # a staff-only URL sends us to sign in first
    page.wait_for_url(re.compile(r"/account/login/\?next="))
    page.fill("#id_username", "pyotr")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/account/otp/"))
    _both_widths(page, "accounts-otp-verify")
    page.fill("#id_code", _code(device))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/backoffice/"))
    assert "/account/" not in page.url

    page.goto("/account/")
    assert page.locator("h1").inner_text()
    _both_widths(page, "accounts-home-staff")


def test_citizen_signs_up_and_signs_in_by_the_emailed_link(page, city):
    from gorod.notifications.tasks import deliver_due

    page.goto("/account/signup/")
    _both_widths(page, "accounts-signup")
    page.fill("#id_display_name", "Мария")
    page.fill("#id_email", "maria@example.org")
    page.fill("#id_password", "a-long-enough-secret")
    page.fill("#id_password2", "a-long-enough-secret")
    page.locator("main form button[type=submit]").first.click()
    page.locator(".notice-success").wait_for()
    assert "maria@example.org" not in page.content()

    deliver_due()
    (message,) = mail.outbox
    path = re.search(r"/account/login/link/[A-Za-z0-9_\-]+/", message.body).group(0)
    page.goto(path)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account/$"))
    assert "Мария" in page.locator("main").inner_text()
    _both_widths(page, "accounts-home-citizen")

    page.goto(path)  # the link works once
    assert page.locator(".notice-error").is_visible()
    _both_widths(page, "accounts-link-used")
