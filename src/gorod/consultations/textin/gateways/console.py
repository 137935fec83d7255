"""The demo's gateway: replies are printed on the worker's console with the number masked (the way
Django's console mail backend prints mails); inbound requests are signed as the fake gateway's are, so a
developer can post one by hand (scripts in docs/consultations.md)."""

from __future__ import annotations

import sys

from gorod.consultations.textin import phones
from gorod.consultations.textin.gateways.fake import Fake


class Console(Fake):
    name = "console"

    def send(self, *, to: str, body: str, key: str) -> str:
        sys.stdout.write(f"--- SMS to {phones.mask(to)} ---\n{body}\n---\n")
        sys.stdout.flush()
        return ""
