"""The consent requests Gorod makes, each a purpose with a versioned text. Change the text and its
version together: a person who agreed to an older version keeps their row, which says which words
they saw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Consent

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # the stubs' name for a lazy translation

Purpose = Consent.Purpose


@dataclass(frozen=True)
class Request:
    purpose: str
    version: str
    text: _StrPromise  # translated when shown and when recorded


REQUESTS: dict[str, Request] = {
    Purpose.MAILS: Request(
        Purpose.MAILS,
        "2026-12",
        _(
            "Send me e-mails about the reports I file, the reports I follow and my area alerts. I can stop "
            "them at any time on my account page; sign-in links I ask for are sent either way."
        ),
    ),
    Purpose.PUBLISH_NAME: Request(
        Purpose.PUBLISH_NAME,
        "2026-12",
        _(
            "Show my name on the public pages of the reports where I tick “Show my name”: anyone can see it. "
            "If I withdraw this on my account page, my name disappears from all my reports."
        ),
    ),
}
