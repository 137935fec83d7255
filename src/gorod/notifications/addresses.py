"""Who may be mailed, and how much: the worker asks `admit` right before sending an e-mail.

Anyone can type anyone's address into a form (an anonymous report, a follow, a sign-up), so an address
Gorod has not seen proven gets nothing written by others. Its first mail only asks its owner to confirm it
(our words, the city's name, a signed link); every other mail to it is HELD until then, and released in
order on confirmation. A held mail older than GOROD_MAIL_HOLD_DAYS is dropped with its reason. Mails that
are themselves a proof of the address (a sign-in link, a follow's confirmation) go out unheld: using them
proves the address. An account's verified address counts as confirmed.

Every address has caps (GOROD_MAIL_CAP_PER_HOUR, GOROD_MAIL_CAP_PER_DAY, fixed windows counted here): a
mail beyond them waits for the window to end, except an immediate area alert, which is dropped (the map
and the daily digest tell the same; see docs/decisions.md). A stopped address (its owner unsubscribed from
everything) gets nothing more until it is confirmed again.

Staff mail about staff work (kind "staff") passes untouched, but only to an active staff account."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from gorod.accounts import selectors as accounts_selectors
from gorod.core import clock
from gorod.notifications import links, mails, outbox
from gorod.notifications.models import Channel, Delivery, MailAddress

log = logging.getLogger(__name__)

CONFIRM_KIND = "address-confirm"
# Mails that prove the address when used, asked for by the person at that moment.
PROOF_KINDS = frozenset({"signin", "follow-confirm"})
STAFF_KIND = "staff"
# Mails that are news of the moment and that waiting would make stale: dropped over a cap, not delayed.
INFORMATIONAL_KINDS = frozenset({"alert"})

SEND, HOLD, DROP, WAIT = "send", "hold", "drop", "wait"


def cap_per_hour() -> int:
    return int(getattr(settings, "GOROD_MAIL_CAP_PER_HOUR", 20))


def cap_per_day() -> int:
    return int(getattr(settings, "GOROD_MAIL_CAP_PER_DAY", 100))


def cap_unconfirmed_per_day() -> int:
    """An address nobody proved gets at most this many mails a day (its confirmation request and proof
    mails): a script filling follow forms for a hundred reports must not fill a stranger's mailbox."""
    return int(getattr(settings, "GOROD_MAIL_CAP_UNCONFIRMED_PER_DAY", 5))


def hold_days() -> int:
    return int(getattr(settings, "GOROD_MAIL_HOLD_DAYS", 7))


@dataclass(frozen=True)
class Verdict:
    action: str  # SEND, HOLD, DROP or WAIT
    reason: str = ""
    until: dt.datetime | None = None  # WAIT: when to try again
    address: MailAddress | None = None  # SEND: for the footer and List-Unsubscribe (None: staff mail)


def locked_address(address_hash: str) -> MailAddress:
    """The row of this address, created unconfirmed if new, locked for the caller's transaction."""
    found = MailAddress.objects.select_for_update().filter(address_hash=address_hash).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return MailAddress.objects.create(address_hash=address_hash)
    except IntegrityError:  # another worker created it a moment ago
        return MailAddress.objects.select_for_update().get(address_hash=address_hash)


def admit(delivery: Delivery, now: dt.datetime) -> Verdict:
    """Whether to send this e-mail now. Call inside a transaction: it locks the address's row, counts the
    mail against the caps when the answer is SEND, and may enqueue the confirmation request."""
    if delivery.kind == STAFF_KIND and accounts_selectors.is_staff_address(delivery.recipient_hash):
        return Verdict(SEND)
    address = locked_address(delivery.recipient_hash)
    if address.state == MailAddress.State.STOPPED:
        return Verdict(DROP, "not sent: the address unsubscribed from all e-mails")
    if address.state == MailAddress.State.UNCONFIRMED and accounts_selectors.is_verified_address(
        address.address_hash
    ):
        _confirm(address, now)
    if delivery.kind == CONFIRM_KIND:
        if address.state == MailAddress.State.CONFIRMED:
            return Verdict(DROP, "not sent: the address was confirmed meanwhile")
    elif address.state == MailAddress.State.UNCONFIRMED and delivery.kind not in PROOF_KINDS:
        _ask_to_confirm(address, delivery, now)
        return Verdict(HOLD, "held until the address is confirmed")
    return _within_caps(address, delivery, now)


def _within_caps(address: MailAddress, delivery: Delivery, now: dt.datetime) -> Verdict:
    hour_end = _window_end(address.hour_started, dt.timedelta(hours=1), now)
    day_end = _window_end(address.day_started, dt.timedelta(days=1), now)
    if hour_end is None:
        address.hour_started, address.hour_count = now, 0
    if day_end is None:
        address.day_started, address.day_count = now, 0
    full = None
    if address.state == MailAddress.State.UNCONFIRMED and address.day_count >= cap_unconfirmed_per_day():
        address.save(update_fields=["hour_started", "hour_count", "day_started", "day_count", "updated"])
        # Only proof mails and the request reach here: a sign-in link or a follow confirmation a day late
        # is of no use, and a request is asked again with the next held mail.
        return Verdict(DROP, "not sent: over the daily cap of an unconfirmed address")
    if address.day_count >= cap_per_day():
        full = (day_end, "daily")
    elif address.hour_count >= cap_per_hour():
        full = (hour_end, "hourly")
    if full is not None:
        until, which = full
        address.save(update_fields=["hour_started", "hour_count", "day_started", "day_count", "updated"])
        if delivery.kind in INFORMATIONAL_KINDS:
            return Verdict(DROP, f"not sent: over the {which} cap of the address")
        return Verdict(WAIT, f"waits: over the {which} cap of the address", until=until)
    # Counted before the send: a crash between the two counts a mail that was not sent, never the reverse.
    address.hour_count += 1
    address.day_count += 1
    address.last_sent_at = now
    address.save(
        update_fields=["hour_started", "hour_count", "day_started", "day_count", "last_sent_at", "updated"]
    )
    return Verdict(SEND, address=address)


def _window_end(started: dt.datetime | None, length: dt.timedelta, now: dt.datetime) -> dt.datetime | None:
    """The end of the window that began at `started`, or None if there is none running at `now`."""
    if started is None or started > now or started + length <= now:
        return None
    return started + length


def _confirm(address: MailAddress, now: dt.datetime) -> None:
    address.state = MailAddress.State.CONFIRMED
    address.confirmed_at = now
    address.save(update_fields=["state", "confirmed_at", "updated"])


def _ask_to_confirm(address: MailAddress, delivery: Delivery, now: dt.datetime) -> None:
    """Enqueue the confirmation request for this address, at most once a day."""
    asked = address.confirm_requested_at
    if asked is not None and now - asked < dt.timedelta(days=1):
        return
    subject, body = mails.address_confirm(
        confirm_url=links.address_confirm_url(address.pk, municipality_id=delivery.municipality_id),
        municipality_id=delivery.municipality_id,
    )
    outbox.enqueue(
        channel=Channel.EMAIL,
        key=outbox.idempotency_key(CONFIRM_KIND, address.address_hash, now.date().isoformat()),
        payload={"subject": subject, "body": body},
        kind=CONFIRM_KIND,
        recipient=delivery.recipient,
        recipient_hash=address.address_hash,
        municipality_id=delivery.municipality_id,
        wake=False,  # the worker asking is about to claim again
    )
    address.confirm_requested_at = now
    address.save(update_fields=["confirm_requested_at", "updated"])


# --- held mails -----------------------------------------------------------------------------------------
def release_held(address_hashes, now: dt.datetime | None = None) -> int:
    """Held mails of these addresses become due, at once and in the order they were written (the claim
    takes equal times by id). Returns how many."""
    now = now or clock.now()
    return Delivery.objects.filter(
        channel=Channel.EMAIL, state=Delivery.State.HELD, recipient_hash__in=list(address_hashes)
    ).update(state=Delivery.State.PENDING, claim="", next_attempt_at=now, last_error="", updated=now)


def release_proven(now: dt.datetime | None = None) -> int:
    """Release the held mails of addresses proven since they were held (confirmed here, or an account's
    address verified by a sign-in link). The worker runs this before each delivery run."""
    now = now or clock.now()
    with transaction.atomic():
        held = Delivery.objects.filter(channel=Channel.EMAIL, state=Delivery.State.HELD)
        verified = set(
            held.filter(recipient_hash__in=accounts_selectors.verified_email_hashes())
            .values_list("recipient_hash", flat=True)
            .distinct()
        )
        if verified:
            MailAddress.objects.filter(address_hash__in=verified, state=MailAddress.State.UNCONFIRMED).update(
                state=MailAddress.State.CONFIRMED, confirmed_at=now, updated=now
            )
        confirmed = MailAddress.objects.filter(state=MailAddress.State.CONFIRMED).values("address_hash")
        hashes = set(
            held.filter(recipient_hash__in=confirmed).values_list("recipient_hash", flat=True).distinct()
        )
        return release_held(hashes, now) if hashes else 0


def drop_expired_holds(now: dt.datetime | None = None) -> int:
    """Held mails older than GOROD_MAIL_HOLD_DAYS will not be sent: dropped, with the reason for staff."""
    now = now or clock.now()
    cutoff = now - dt.timedelta(days=hold_days())
    return Delivery.objects.filter(state=Delivery.State.HELD, created__lt=cutoff).update(
        state=Delivery.State.DROPPED,
        last_error=f"not sent: the address was not confirmed within {hold_days()} days",
        updated=now,
    )


def drop_pending(address_hash: str, reason: str, now: dt.datetime) -> int:
    """Drop what waits for an address that stopped every mail (held or pending, not claimed right now:
    a claimed one is dropped by `admit` when its worker comes to it)."""
    return Delivery.objects.filter(
        channel=Channel.EMAIL,
        recipient_hash=address_hash,
        state__in=[Delivery.State.HELD, Delivery.State.PENDING],
        claim="",
    ).update(state=Delivery.State.DROPPED, last_error=reason, updated=now)


# --- what every mail carries ------------------------------------------------------------------------------
def footer(stop_url: str, language: str = "") -> str:
    """The "unsubscribe from everything" line, in the mail's language and in the other one too (the
    address's owner may read either)."""
    languages = [language or settings.LANGUAGE_CODE] + [
        code for code, _name in settings.LANGUAGES if code != (language or settings.LANGUAGE_CODE)
    ]
    lines = []
    for code in languages:
        with translation.override(code):
            lines.append(_("Stop all e-mails from us to this address: %(url)s") % {"url": stop_url})
    return "\n\n-- \n" + "\n".join(dict.fromkeys(lines))
