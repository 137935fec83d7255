"""Every write to accounts goes through here: sign-up, e-mailed sign-in links, passwords, consents and the
second factor of staff (erasing an account is privacy's: it reaches into other apps). Keyword-only,
validated, in a transaction.

Log lines name an account by its numeric id at most: never an e-mail, a username, a token or an address."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gorod.accounts.consent import REQUESTS
from gorod.accounts.models import Consent, SignInLink, User
from gorod.accounts.roles import needs_second_factor
from gorod.accounts.selectors import consents_of, totp_device
from gorod.city import selectors as city_selectors
from gorod.core import clock
from gorod.core.mail import enqueue_email

logger = logging.getLogger("gorod.accounts")

MAX_EMAIL = 254
MAX_DISPLAY_NAME = 100
BACKUP_CODES = 10
ENROL_DEVICE = "enrolment"  # the unconfirmed TOTP device of a staff member setting up 2FA
APP_DEVICE = "authenticator"
BACKUP_DEVICE = "backup codes"


class AccountInvalid(ValidationError):
    """Input refused; `message_dict` (or the message) says why. Nothing was saved."""


class LinkRefused(Exception):
    """A sign-in link that cannot be used; `reason` is one of unknown, used, expired, inactive."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class OtpRefused(Exception):
    """A one-time code that was not accepted; the message is for the user."""


# --- helpers ----------------------------------------------------------------------------------------------
def link_minutes() -> int:
    return int(getattr(settings, "GOROD_SIGNIN_LINK_MINUTES", 15))


def _links_per_window() -> int:
    return int(getattr(settings, "GOROD_SIGNIN_LINKS_PER_WINDOW", 3))


def _password_validators():
    """The installation's validators if it configures any, else a sensible set of Django's own."""
    if settings.AUTH_PASSWORD_VALIDATORS:
        return password_validation.get_default_password_validators()
    return [
        password_validation.UserAttributeSimilarityValidator(),
        password_validation.MinimumLengthValidator(10),
        password_validation.CommonPasswordValidator(),
        password_validation.NumericPasswordValidator(),
    ]


def check_password_strength(password: str, user: User | None = None) -> None:
    """Raises ValidationError with the validators' messages."""
    if "\x00" in password:
        raise ValidationError(_("Contains a character that is not allowed."))
    password_validation.validate_password(password, user, password_validators=_password_validators())


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email or len(email) > MAX_EMAIL or "\x00" in email:
        raise AccountInvalid({"email": [_("Enter a valid e-mail address.")]})
    try:
        validate_email(email)
    except ValidationError:
        raise AccountInvalid({"email": [_("Enter a valid e-mail address.")]}) from None
    return email


def _new_username() -> str:
    while True:
        name = f"u{secrets.token_hex(5)}"
        if not User.objects.filter(username=name).exists():
            return name


def _site_url(path: str) -> str:
    """On the site the link was asked for: the municipality the request shows has its own address."""
    return city_selectors.site_address(city_selectors.default_municipality()) + path


# --- e-mailed sign-in links -------------------------------------------------------------------------------
def _mail_link(*, user: User, template: str, language: str) -> SignInLink | None:
    """Create a link and put its e-mail in the outbox, unless this account already got enough links in
    the last window (the form must not become a way to flood someone's mailbox)."""
    now = clock.now()
    window = now - dt.timedelta(minutes=link_minutes())
    # Spent and expired links are of no use after the window that counts them: keep the table small.
    SignInLink.objects.filter(user=user, expires__lt=window).delete()
    if SignInLink.objects.filter(user=user, created__gte=window).count() >= _links_per_window():
        logger.info("sign-in link not sent: too many requests (user id=%s)", user.pk)
        return None
    token = secrets.token_urlsafe(32)
    link = SignInLink.objects.create(
        user=user,
        token_hash=SignInLink.hash_token(token),
        email_hash=user.email_hash,
        created=now,
        expires=now + dt.timedelta(minutes=link_minutes()),
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "url": _site_url(reverse("accounts:link", args=[token])),
            "minutes": link_minutes(),
            # A display name is whatever the person who signed up typed, and until the address is proven
            # that may be someone else than its owner: no text of theirs goes to an unproven address.
            "name": user.public_name if user.email_verified else "",
        }
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}.txt", context)
    enqueue_email(
        to=user.email_address, subject=subject, body=body, key=f"accounts-link|{link.pk}", kind="signin"
    )
    logger.info("sign-in link sent (user id=%s, link id=%s)", user.pk, link.pk)
    return link


@transaction.atomic
def sign_in_link_send(*, email: str, language: str = "") -> bool:
    """Mail a sign-in link to the account with this address. Returns whether one was sent; the caller
    shows the same message either way, so the form does not tell who has an account."""
    email = _clean_email(email)
    user = User.objects.get_by_email(email)
    if user is None or not user.is_active:
        logger.info("sign-in link not sent: no active account for the address")
        return False
    return _mail_link(user=user, template="sign_in_link", language=language) is not None


@transaction.atomic
def sign_in_link_use(*, token: str) -> User:
    """Spend a link: returns its user, marks the link used and the address proven. Raises LinkRefused
    for an unknown, used or expired link or an inactive account; the refusal is logged (link id only)."""
    token = (token or "").strip()
    if not token or len(token) > 100:
        logger.warning("sign-in link refused: unknown")
        raise LinkRefused("unknown")
    link = SignInLink.objects.select_for_update().filter(token_hash=SignInLink.hash_token(token)).first()
    if link is None:
        logger.warning("sign-in link refused: unknown")
        raise LinkRefused("unknown")
    if link.used is not None:
        logger.warning("sign-in link refused: already used (link id=%s)", link.pk)
        raise LinkRefused("used")
    now = clock.now()
    if link.expires <= now:
        logger.warning("sign-in link refused: expired (link id=%s)", link.pk)
        raise LinkRefused("expired")
    user = User.objects.select_for_update().get(pk=link.user_id)
    if not user.is_active:
        logger.warning("sign-in link refused: inactive account (link id=%s)", link.pk)
        raise LinkRefused("inactive")
    link.used = now
    link.save(update_fields=["used"])
    if link.email_hash and link.email_hash == user.email_hash and not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    logger.info("sign-in link used (user id=%s, link id=%s)", user.pk, link.pk)
    return user


# --- consents ---------------------------------------------------------------------------------------------
@transaction.atomic
def consent_record(*, user: User, purpose: str, given: bool, language: str = "") -> Consent:
    """Record an answer to a consent request with the words of its present version. Answering the same
    again (same version) adds no row. What a withdrawal stops elsewhere is privacy's to do
    (privacy.services.consent_change). Raises AccountInvalid for an unknown purpose."""
    request = REQUESTS.get(purpose)
    if request is None:
        raise AccountInvalid({"purpose": [_("Unknown consent.")]})
    present = consents_of(user)[purpose]
    if present is not None and present.given == given and present.version == request.version:
        return present
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        text = str(request.text)
        language = translation.get_language() or ""
    consent = Consent(
        user=user,
        purpose=purpose,
        given=given,
        version=request.version,
        text=text,
        language=language,
        at=clock.now(),
    )
    consent.full_clean()
    consent.save()
    logger.info("consent %s %s (user id=%s)", purpose, "given" if given else "withdrawn", user.pk)
    return consent


# --- sign-up and passwords --------------------------------------------------------------------------------
@transaction.atomic
def citizen_sign_up(
    *, email: str, password: str, display_name: str, language: str = "", consents: tuple[str, ...] = ()
) -> User | None:
    """Create a citizen account and mail a link that confirms the address and signs in; `consents`: the
    purposes the person ticked (accounts.consent). If the address already has an account, its owner gets
    a sign-in link instead and None is returned; the caller shows the same page either way (sign-up must
    not tell who has an account). Raises AccountInvalid."""
    errors: dict[str, list[str]] = {}
    try:
        email = _clean_email(email)
    except AccountInvalid as exc:
        errors.update(exc.message_dict)
    display_name = (display_name or "").strip()
    if not display_name:
        errors.setdefault("display_name", []).append(_("Tell us what to call you."))
    elif len(display_name) > MAX_DISPLAY_NAME or "\x00" in display_name:
        errors.setdefault("display_name", []).append(_("At most %(n)d characters.") % {"n": MAX_DISPLAY_NAME})
    candidate = User(username="new", display_name=display_name)
    if "email" not in errors:
        candidate.email = email
    try:
        check_password_strength(password or "", candidate)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise AccountInvalid(errors)

    existing = User.objects.get_by_email(email)
    if existing is not None:
        if existing.is_active:
            _mail_link(user=existing, template="already_registered", language=language)
        logger.info("sign-up for an address that has an account (user id=%s)", existing.pk)
        return None
    user = User(username=_new_username(), role=User.Role.CITIZEN, display_name=display_name)
    user.email = email
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    for purpose in consents:
        consent_record(user=user, purpose=purpose, given=True, language=language)
    _mail_link(user=user, template="welcome", language=language)
    logger.info("citizen signed up (user id=%s)", user.pk)
    return user


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password or ""):
        logger.warning("password change refused: wrong current password (user id=%s)", user.pk)
        raise AccountInvalid({"old_password": [_("Your current password is not right.")]})
    try:
        check_password_strength(new_password or "", user)
    except ValidationError as exc:
        raise AccountInvalid({"new_password": exc.messages}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    logger.info("password changed (user id=%s)", user.pk)
    return user


# --- the second factor of staff ---------------------------------------------------------------------------
@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows (the same one until confirmed)."""
    if not needs_second_factor(user):
        raise PermissionDenied
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=ENROL_DEVICE).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ENROL_DEVICE, confirmed=False)
    return device


def _clean_code(code: str) -> str:
    code = "".join((code or "").split()).replace("-", "").lower()
    if not code or len(code) > 16 or not code.isalnum():
        raise OtpRefused(_("Enter the 6-digit code from your app, or a backup code."))
    return code


def _throttled(device) -> bool:
    allowed, _data = device.verify_is_allowed()
    return not allowed


def totp_enrolment_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the enrolment device with a first code from the app; returns it and fresh backup codes.
    A refusal is raised after the transaction commits, so the count of wrong codes (throttling) stays."""
    with transaction.atomic():
        outcome = _enrolment_confirm(user, code)
    if isinstance(outcome, str):
        raise OtpRefused(outcome)
    return outcome


def _enrolment_confirm(user: User, code: str) -> tuple[TOTPDevice, list[str]] | str:
    if totp_device(user) is not None:
        return _("Two-factor sign-in is already set up for this account.")
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False, name=ENROL_DEVICE).first()
    )
    if device is None:
        return _("The set-up has expired. Start again.")
    try:
        code = _clean_code(code)
    except OtpRefused as exc:
        return str(exc)
    if _throttled(device):
        logger.warning("2FA enrolment refused: throttled (user id=%s)", user.pk)
        return _("Too many wrong codes. Wait a little (longer after each wrong code), then try again.")
    if not (code.isdigit() and device.verify_token(code)):
        if not code.isdigit():
            device.throttle_increment()
        logger.warning("2FA enrolment refused: wrong code (user id=%s)", user.pk)
        return _("That code is not right. Check the time on your phone and try the newest code.")
    device.confirmed = True
    device.name = APP_DEVICE
    device.save(update_fields=["confirmed", "name"])
    logger.info("2FA set up (user id=%s)", user.pk)
    return device, _backup_codes_replace(user)


def _backup_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """New backup codes; the old ones stop working. Only with a confirmed authenticator."""
    if totp_device(user) is None:
        raise OtpRefused(_("Set up two-factor sign-in first."))
    codes = _backup_codes_replace(user)
    logger.info("backup codes replaced (user id=%s)", user.pk)
    return codes


def otp_check(*, user: User, code: str):
    """The confirmed device (authenticator or backup codes) that accepts this code. Raises OtpRefused
    for a malformed or wrong code, or while the devices are throttled after wrong codes; the refusal is
    raised after the transaction commits, so the count of wrong codes is kept."""
    code = _clean_code(code)
    with transaction.atomic():
        outcome = _otp_match(user, code)
    if isinstance(outcome, str):
        raise OtpRefused(outcome)
    return outcome


def _otp_match(user: User, code: str):
    totp = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
    static = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
    devices = totp if (code.isdigit() and len(code) == 6) else static
    if not devices:
        logger.warning("2FA refused: no device for this kind of code (user id=%s)", user.pk)
        return _("That code is not right.")
    if all(_throttled(d) for d in devices):
        logger.warning("2FA refused: throttled (user id=%s)", user.pk)
        return _("Too many wrong codes. Wait a little (longer after each wrong code), then try again.")
    for device in devices:
        if not _throttled(device) and device.verify_token(code):
            logger.info("2FA passed (user id=%s, device=%s)", user.pk, type(device).__name__)
            return device
    logger.warning("2FA refused: wrong code (user id=%s)", user.pk)
    return _("That code is not right. Check the time on your phone and try the newest code.")
