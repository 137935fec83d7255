"""Reads about identity: who signs in with this name or address, whether a sign-in link still works, the
second factor of staff, and the consents a person gave or withdrew."""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gorod.accounts.models import Consent, SignInLink, User
from gorod.city import selectors as city_selectors
from gorod.city.models import Department, Municipality
from gorod.core import clock


def user_for_sign_in(identifier: str) -> User | None:
    """The account named by a username or an e-mail address (an e-mail is found through its hash)."""
    identifier = (identifier or "").strip()
    if not identifier or len(identifier) > 254 or "\x00" in identifier:
        return None
    if "@" in identifier:
        found = User.objects.get_by_email(identifier)
        if found is not None:
            return found
    return User.objects.filter(username=identifier).first()


def link_refusal(token: str) -> str | None:
    """Why this sign-in link cannot be used (unknown, used, expired, inactive), or None if it can.
    Reads only: the link is spent by services.sign_in_link_use."""
    token = (token or "").strip()
    if not token or len(token) > 100:
        return "unknown"
    link = SignInLink.objects.filter(token_hash=SignInLink.hash_token(token)).select_related("user").first()
    if link is None:
        return "unknown"
    if link.used is not None:
        return "used"
    if link.expires <= clock.now():
        return "expired"
    if not link.user.is_active:
        return "inactive"
    return None


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def consents_of(user: User) -> dict[str, Consent | None]:
    """The present answer per purpose (the newest row), None where the person was never asked."""
    present: dict[str, Consent | None] = dict.fromkeys(Consent.Purpose.values)
    for consent in consent_history(user):
        present[consent.purpose] = consent
    return present


def consent_history(user: User) -> list[Consent]:
    """Every answer the person gave, oldest first."""
    return list(Consent.objects.filter(user=user).order_by("at", "pk"))


def mails_withdrawn(email_hash: str) -> bool:
    """Whether the account with this address (by look-up hash) has withdrawn its consent to news mails."""
    if not email_hash:
        return False
    newest = (
        Consent.objects.filter(user__email_hash=email_hash, purpose=Consent.Purpose.MAILS)
        .order_by("-at", "-pk")
        .values_list("given", flat=True)
        .first()
    )
    return newest is False


def verified_email_hashes():
    """Look-up hashes of the addresses accounts have proven (signed in by an e-mailed link, or verified
    by staff): a QuerySet of values, to use as a subquery."""
    return User.objects.filter(email_verified=True).exclude(email_hash="").values("email_hash")


def is_verified_address(email_hash: str) -> bool:
    return bool(email_hash) and User.objects.filter(email_hash=email_hash, email_verified=True).exists()


def is_staff_address(email_hash: str) -> bool:
    """Whether this address belongs to an active staff account (any role but citizen)."""
    if not email_hash:
        return False
    return User.objects.filter(email_hash=email_hash, is_active=True).exclude(role=User.Role.CITIZEN).exists()


def municipality_of(user: User) -> Municipality | None:
    """The department's city, else the account's own, else the installation's default — never the city
    of the host the page was asked on: staff of one city must not open another's back office by visiting
    it under that city's host name."""
    if user.department_id:
        department = Department.objects.select_related("municipality").filter(pk=user.department_id).first()
        if department is not None:
            user.department = department  # every page's header names it: one query for both
            return department.municipality
    if user.municipality_id:
        return Municipality.objects.filter(pk=user.municipality_id).first()
    return city_selectors.municipality_for_host("")
