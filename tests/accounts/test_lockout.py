"""Password guessing is stopped per account and per account+address, never per address alone: everyone
behind the city's reverse proxy shares its address, and one attacker must not lock them all out."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


@pytest.fixture
def axes(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 10
    settings.GOROD_LOGIN_FAILURES_PER_ACCOUNT = 30
    return settings


def _login(client, username, password=PASSWORD, *, remote=PROXY, forwarded=None, **extra):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/account/login/", {"username": username, "password": password}, **meta, **extra)


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/account/"


def test_ten_failures_through_the_proxy_do_not_lock_another_account(client, axes, citizen, make_user):
    axes.GOROD_TRUSTED_PROXIES = 1
    make_user("boris")
    for _ in range(10):
        _login(client, "anna", "wrong", forwarded="198.51.100.7")
    # Another resident behind the same proxy, and even from the attacker's own address.
    assert _signed_in(_login(client, "boris", forwarded="198.51.100.8"))
    client.post("/account/logout/")
    assert _signed_in(_login(client, "boris", forwarded="198.51.100.7"))


def test_the_attacked_account_stays_open_to_its_owner_at_another_address(client, axes, citizen):
    axes.GOROD_TRUSTED_PROXIES = 1
    for _ in range(10):
        _login(client, "anna", "wrong", forwarded="198.51.100.7")
    assert _login(client, "anna", forwarded="198.51.100.7").status_code == 429
    assert _signed_in(_login(client, "anna", forwarded="203.0.113.5"))


def test_one_account_attacked_from_many_addresses_is_locked(client, axes, citizen):
    for n in range(30):
        _login(client, "anna", "wrong", remote=f"198.51.100.{n + 1}")
    locked = _login(client, "anna", remote="203.0.113.5")  # the right password, from a fresh address
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_while_locked_at_one_address_do_not_lock_the_account(client, axes, citizen):
    axes.GOROD_TRUSTED_PROXIES = 1
    for _ in range(40):
        _login(client, "anna", "wrong", forwarded="198.51.100.7")
    assert _signed_in(_login(client, "anna", forwarded="203.0.113.5"))


def test_a_forged_forwarded_header_is_ignored_without_trusted_proxies(client, axes, citizen):
    axes.GOROD_TRUSTED_PROXIES = 0
    for n in range(10):  # each guess claims another address; the socket is the same
        _login(client, "anna", "wrong", remote="198.51.100.7", forwarded=f"203.0.113.{n + 1}")
    assert _login(client, "anna", remote="198.51.100.7", forwarded="203.0.113.99").status_code == 429
    assert _signed_in(_login(client, "anna", remote="192.0.2.1"))


def test_the_lockout_page_offers_the_emailed_link_in_both_languages(client, axes, citizen):
    for _ in range(10):
        _login(client, "anna", "wrong")
    english = _login(client, "anna", HTTP_ACCEPT_LANGUAGE="en")
    russian = _login(client, "anna", HTTP_ACCEPT_LANGUAGE="ru")
    for page in (english, russian):
        assert page.status_code == 429
        assert int(page["Retry-After"]) == 3600
        html = page.content.decode()
        assert 'href="/account/login/link/"' in html
        assert 'class="site-header"' in html  # the site's page, not axes' bare text
        assert "anna" not in html.lower()  # the account is not named back
    assert "Too many failed sign-in attempts" in english.content.decode()
    assert "Слишком много неудачных попыток входа" in russian.content.decode()
    assert "Account locked" not in english.content.decode()
