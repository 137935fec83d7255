"""Signed links in mails: one-click unsubscribe, the e-mail follow confirmation, and confirming or
stopping an address as a whole.

A link carries only an opaque row id, signed (django.core.signing, its own salt per purpose): no
address or other personal data ever appears in a URL, and a forged or edited link fails the signature."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import signing
from django.urls import reverse

from gorod.city import selectors as city_selectors
from gorod.core import clock

UNSUBSCRIBE_SALT = "gorod.notifications.unsubscribe"
CONFIRM_SALT = "gorod.notifications.follow-confirm"
ADDRESS_CONFIRM_SALT = "gorod.notifications.address-confirm"
ADDRESS_STOP_SALT = "gorod.notifications.address-stop"

# What an unsubscribe token can point at.
FOLLOW, ALERT, AUTHOR = "f", "a", "r"


def unsubscribe_max_age() -> int:
    return int(getattr(settings, "GOROD_UNSUBSCRIBE_MAX_AGE_DAYS", 400)) * 86400


def confirm_max_age() -> int:
    return int(getattr(settings, "GOROD_FOLLOW_CONFIRM_MAX_AGE_HOURS", 72)) * 3600


def site_url(path: str, *, municipality_id: int | None) -> str:
    """A link on the site of the municipality the mail is about (its own address, if it has one)."""
    return city_selectors.site_url(municipality_id) + path


def report_url(report) -> str:
    return site_url(f"/reports/{report.pk}/", municipality_id=report.municipality_id)


def unsubscribe_token(kind: str, pk: int) -> str:
    return signing.dumps({"k": kind, "id": pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(kind: str, pk: int, *, municipality_id: int | None = None) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(kind, pk)])
    return site_url(path, municipality_id=municipality_id)


def read_unsubscribe(token: str) -> tuple[str, int]:
    """(kind, id) of a valid token; raises signing.BadSignature (SignatureExpired is a subclass)."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=unsubscribe_max_age())
    kind, pk = data.get("k"), data.get("id")
    if kind not in (FOLLOW, ALERT, AUTHOR) or not isinstance(pk, int):
        raise signing.BadSignature("malformed")
    return kind, pk


def confirm_url(follow_id: int, *, municipality_id: int | None = None) -> str:
    token = signing.dumps({"id": follow_id}, salt=CONFIRM_SALT)
    return site_url(reverse("notifications:follow-confirm", args=[token]), municipality_id=municipality_id)


def read_confirm(token: str) -> int:
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_max_age())
    pk = data.get("id")
    if not isinstance(pk, int):
        raise signing.BadSignature("malformed")
    return pk


# --- an address as a whole (MailAddress): confirm it, or stop every mail to it ---------------------------
# The tokens carry the row id only (signed, with its own salt and expiry), never the address.
def address_confirm_max_age() -> int:
    return int(getattr(settings, "GOROD_MAIL_CONFIRM_MAX_AGE_DAYS", 7)) * 86400


def address_token(pk: int, *, salt: str) -> str:
    """ "<id>.<issued, unix seconds>" signed with its purpose's salt. The time comes from core.clock, so
    its expiry is checked against the same clock as everything else."""
    issued = int(clock.now().timestamp())
    return signing.Signer(salt=salt).sign(f"{pk}.{issued}")


def address_confirm_url(pk: int, *, municipality_id: int | None = None) -> str:
    path = reverse("notifications:address-confirm", args=[address_token(pk, salt=ADDRESS_CONFIRM_SALT)])
    return site_url(path, municipality_id=municipality_id)


def address_stop_url(pk: int, *, municipality_id: int | None = None) -> str:
    path = reverse("notifications:address-stop", args=[address_token(pk, salt=ADDRESS_STOP_SALT)])
    return site_url(path, municipality_id=municipality_id)


def read_address_token(token: str, *, salt: str) -> int:
    """The MailAddress id of a valid token; raises signing.BadSignature, or its subclass
    signing.SignatureExpired for a genuine token older than its purpose allows."""
    value = signing.Signer(salt=salt).unsign(token)
    if not re.fullmatch(r"[0-9]{1,18}\.[0-9]{1,12}", value):
        raise signing.BadSignature("malformed")
    pk_text, _dot, issued_text = value.partition(".")
    max_age = address_confirm_max_age() if salt == ADDRESS_CONFIRM_SALT else unsubscribe_max_age()
    if clock.now().timestamp() - int(issued_text) > max_age:
        raise signing.SignatureExpired("expired")
    return int(pk_text)
