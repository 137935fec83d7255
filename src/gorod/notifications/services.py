"""Every write of notifications goes through here (keyword-only, validated, in a transaction)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gorod.city.districts import district_for_report
from gorod.core import clock, crypto
from gorod.notifications import addresses, links, mails, outbox
from gorod.notifications.models import (
    AreaAlert,
    AuthorMute,
    Channel,
    Delivery,
    Follow,
    MailAddress,
    OutboundSend,
)
from gorod.notifications.selectors import person_mails
from gorod.reports.models import Report

MAX_ALERTS_PER_USER = 20


class NotificationInvalid(ValidationError):
    """Input refused; nothing was saved."""


# --- the outbox contract used by other apps --------------------------------------------------------------
def email_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    key: str,
    municipality_id: int | None = None,
    unsubscribe_url: str = "",
    kind: str = "email",
) -> Delivery:
    """Enqueue one plain-text e-mail in the caller's transaction. A second call with the same `key` is a
    no-op that returns the first row. The key is stored hashed, so it may name whatever the caller likes.
    Apps below notifications reach it through core.mail.enqueue_email (settings.GOROD_OUTBOX_EMAIL).
    `kind` decides what an unconfirmed address gets (notifications.addresses): "signin" and
    "follow-confirm" prove the address and are sent; "staff" passes only to a staff account; any other
    kind is held until the address is confirmed."""
    to = (to or "").strip()
    try:
        validate_email(to)
    except ValidationError:
        raise NotificationInvalid(_("Enter a valid e-mail address.")) from None
    if not key:
        raise NotificationInvalid("email_enqueue needs a key")
    recipient_hash = crypto.lookup_hash(to)
    delivery, _created = outbox.enqueue(
        channel=Channel.EMAIL,
        key=outbox.idempotency_key(Channel.EMAIL, key),
        payload={"subject": mails.one_line(subject), "body": body, "unsubscribe": unsubscribe_url},
        kind=(kind or "email")[:40],
        recipient=to,
        recipient_hash=recipient_hash,
        municipality_id=municipality_id,
    )
    return delivery


@transaction.atomic
def deliveries_forget(
    *,
    recipient_hashes: Iterable[str],
    report_ids: Iterable[int] = (),
    kinds: Iterable[str] | None = None,
    pending_only: bool = False,
) -> int:
    """Delete the e-mail deliveries about one person (person_mails), in the caller's transaction: pending
    ones are thereby cancelled (a worker that has claimed one finds it gone before sending, see
    delivery.deliver_due), sent and dead ones stop holding the address, the payload and the look-up hash.
    Returns how many rows went."""
    rows = Delivery.objects.filter(
        person_mails(recipient_hashes=recipient_hashes, report_ids=report_ids, kinds=kinds)
    )
    if pending_only:
        rows = rows.filter(state=Delivery.State.PENDING)
    deleted, _by_model = rows.delete()
    return deleted


@transaction.atomic
def delivery_retry(*, delivery: Delivery, actor) -> Delivery:
    """Put a dead delivery back in the queue with a fresh count of attempts (city administrators)."""
    if not actor.has_perm("notifications.retry", delivery):
        raise PermissionDenied(_("Only a city administrator may retry a delivery."))
    fresh = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if fresh.state != Delivery.State.DEAD:
        raise NotificationInvalid(_("Only a delivery that failed for good can be retried."))
    now = clock.now()
    fresh.state = Delivery.State.PENDING
    fresh.attempts = 0
    fresh.next_attempt_at = now
    fresh.claim = ""
    fresh.retried_by = actor
    fresh.save(update_fields=["state", "attempts", "next_attempt_at", "claim", "retried_by"])
    if fresh.outbound_id:
        OutboundSend.objects.filter(pk=fresh.outbound_id).update(state=OutboundSend.State.UNSENT, updated=now)
    outbox.kick()
    return fresh


# --- follows -------------------------------------------------------------------------------------------
@transaction.atomic
def follow_user(*, report: Report, user, language: str = "") -> Follow:
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied
    follow, _created = Follow.objects.get_or_create(
        report=report, user=user, defaults={"confirmed": True, "language": language}
    )
    return follow


@transaction.atomic
def unfollow_user(*, report: Report, user) -> bool:
    deleted, _ = Follow.objects.filter(report=report, user=user).delete()
    return bool(deleted)


@transaction.atomic
def follow_by_email(*, report: Report, email: str, language: str = "") -> Follow | None:
    """Double opt-in: remember the address unconfirmed and mail a signed confirmation link (at most one a
    day per address and report, so the form cannot be used to flood someone). Returns None if the address
    already follows. The caller shows the same message either way (no address probing)."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise NotificationInvalid(_("Enter a valid e-mail address.")) from None
    if len(email) > 254 or "\x00" in email:
        raise NotificationInvalid(_("Enter a valid e-mail address."))
    email_hash = crypto.lookup_hash(email)
    try:
        with transaction.atomic():
            follow, _created = Follow.objects.get_or_create(
                report=report,
                user=None,
                email_hash=email_hash,
                defaults={"email": email, "language": language},
            )
    except IntegrityError:
        follow = Follow.objects.get(report=report, user=None, email_hash=email_hash)
    if follow.confirmed:
        return None
    subject, body = mails.follow_confirm(
        report=report,
        confirm_url=links.confirm_url(follow.pk, municipality_id=report.municipality_id),
        language=language,
    )
    email_enqueue(
        to=email,
        subject=subject,
        body=body,
        key=f"follow-confirm|{follow.pk}|{clock.now().date().isoformat()}",
        municipality_id=report.municipality_id,
        kind="follow-confirm",
    )
    return follow


@transaction.atomic
def follow_confirm(*, token: str) -> Follow:
    """Confirm an e-mail follow from its signed link. Raises NotificationInvalid for a bad or old link."""
    pk = _signed_pk(
        lambda: links.read_confirm(token),
        expired=_("This link has expired. Ask for a new one on the report's page."),
    )
    follow = Follow.objects.select_for_update().filter(pk=pk).first()
    if follow is None:
        raise NotificationInvalid(_("This link is not valid."))
    if not follow.confirmed:
        follow.confirmed = True
        follow.save(update_fields=["confirmed"])
    if follow.email_hash:
        # The link reached its owner and they pressed the button: the address is proven.
        _address_confirm(addresses.locked_address(follow.email_hash))
    return follow


# --- addresses as a whole (notifications.addresses) -------------------------------------------------------
def _signed_pk(read: Callable[[], int], *, expired: str) -> int:
    """The id a signed link carries, or NotificationInvalid saying whether it is old or not ours."""
    try:
        return read()
    except signing.SignatureExpired:
        raise NotificationInvalid(expired) from None
    except signing.BadSignature:
        raise NotificationInvalid(_("This link is not valid.")) from None


def _address_from(token: str, *, salt: str) -> MailAddress:
    pk = _signed_pk(
        lambda: links.read_address_token(token, salt=salt),
        expired=_("This link has expired. A new one comes with the next e-mail we have for this address."),
    )
    address = MailAddress.objects.select_for_update().filter(pk=pk).first()
    if address is None:
        raise NotificationInvalid(_("This link is not valid."))
    return address


def address_target(*, token: str, salt: str) -> MailAddress:
    """The address a confirmation (links.ADDRESS_CONFIRM_SALT) or stop (ADDRESS_STOP_SALT) link names,
    without changing it. Raises NotificationInvalid for a forged, edited, expired or forgotten link."""
    with transaction.atomic():
        return _address_from(token, salt=salt)


@transaction.atomic
def address_confirm(*, token: str) -> MailAddress:
    """The owner pressed "confirm": mail to the address may be sent, and what was held for it goes now,
    in order. Also undoes a stop. Idempotent."""
    return _address_confirm(_address_from(token, salt=links.ADDRESS_CONFIRM_SALT))


def _address_confirm(address: MailAddress) -> MailAddress:
    now = clock.now()
    if address.state != MailAddress.State.CONFIRMED:
        address.state = MailAddress.State.CONFIRMED
        address.confirmed_at = now
        address.stopped_at = None
        address.save(update_fields=["state", "confirmed_at", "stopped_at", "updated"])
    if addresses.release_held([address.address_hash], now):
        outbox.kick()
    return address


@transaction.atomic
def address_stop(*, token: str) -> MailAddress:
    """Unsubscribe from everything (RFC 8058 one-click too): nothing more is sent to the address, and
    what waits for it is dropped, until its owner confirms it again. Idempotent."""
    address = _address_from(token, salt=links.ADDRESS_STOP_SALT)
    now = clock.now()
    if address.state != MailAddress.State.STOPPED:
        address.state = MailAddress.State.STOPPED
        address.stopped_at = now
        address.save(update_fields=["state", "stopped_at", "updated"])
    addresses.drop_pending(address.address_hash, "not sent: the address unsubscribed from all e-mails", now)
    return address


@transaction.atomic
def addresses_forget(*, address_hashes: Iterable[str]) -> int:
    """Erasure: forget what we know of these addresses, except a stop, which stays so that its owner is
    never mailed again (the row holds only a keyed hash). Returns how many rows went."""
    deleted, _by_model = (
        MailAddress.objects.filter(address_hash__in=[h for h in address_hashes if h])
        .exclude(state=MailAddress.State.STOPPED)
        .delete()
    )
    return deleted


# --- unsubscribe ---------------------------------------------------------------------------------------
def unsubscribe_target(*, token: str) -> tuple[str, Any]:
    """What a signed unsubscribe link points at: (kind, row or None if already gone)."""
    try:
        kind, pk = links.read_unsubscribe(token)
    except signing.SignatureExpired:
        raise NotificationInvalid(_("This link has expired.")) from None
    except signing.BadSignature:
        raise NotificationInvalid(_("This link is not valid.")) from None
    if kind == links.FOLLOW:
        return kind, Follow.objects.select_related("report").filter(pk=pk).first()
    if kind == links.ALERT:
        return kind, AreaAlert.objects.select_related("district").filter(pk=pk).first()
    return kind, Report.objects.filter(pk=pk).only("pk").first()


@transaction.atomic
def unsubscribe(*, token: str) -> str:
    """One-click unsubscribe (RFC 8058): stop what the link names. Idempotent. Returns the kind."""
    kind, target = unsubscribe_target(token=token)
    if target is None:
        return kind
    if kind == links.FOLLOW:
        Follow.objects.filter(pk=target.pk).delete()
    elif kind == links.ALERT:
        AreaAlert.objects.filter(pk=target.pk).delete()
    else:
        AuthorMute.objects.get_or_create(report_id=target.pk)
    return kind


# --- area alerts ---------------------------------------------------------------------------------------
@transaction.atomic
def alert_create(
    *,
    user,
    municipality,
    frequency: str,
    district=None,
    lat: float | None = None,
    lon: float | None = None,
    radius_m: int | None = None,
    language: str = "",
) -> AreaAlert:
    """A district alert (district given) or a radius alert (lat, lon, radius_m given)."""
    errors: dict[str, list[str]] = {}
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied
    if frequency not in AreaAlert.Frequency.values:
        errors.setdefault("frequency", []).append(_("Choose how often."))
    if district is not None:
        if district.municipality_id != municipality.pk:
            errors.setdefault("district", []).append(_("Choose a district of this city."))
        lat = lon = radius_m = None
    else:
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.setdefault("location", []).append(_("Choose a district, or give a point on the map."))
        if radius_m is None or not (50 <= radius_m <= 5000):
            errors.setdefault("radius_m", []).append(_("The radius must be between 50 and 5000 metres."))
        if (
            lat is not None
            and lon is not None
            and "location" not in errors
            and district_for_report(municipality.pk, lat, lon) is None
        ):
            errors.setdefault("location", []).append(
                _("This place is outside %(city)s.") % {"city": municipality.label}
            )
    if AreaAlert.objects.filter(user=user).count() >= MAX_ALERTS_PER_USER:
        errors.setdefault("__all__", []).append(
            _("You have %(n)d alerts already; delete one first.") % {"n": MAX_ALERTS_PER_USER}
        )
    if errors:
        raise NotificationInvalid(errors)
    return AreaAlert.objects.create(
        user=user,
        municipality=municipality,
        district=district,
        lat=lat,
        lon=lon,
        radius_m=radius_m,
        frequency=frequency,
        language=language,
        digest_since=clock.now(),
    )


@transaction.atomic
def alert_delete(*, alert_id: int, user) -> bool:
    deleted, _ = AreaAlert.objects.filter(pk=alert_id, user=user).delete()
    return bool(deleted)
