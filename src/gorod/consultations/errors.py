"""The one error every consultations service raises for a refusal: its message is shown to the person as is
(translated), and the transaction it was raised in leaves nothing changed."""

from __future__ import annotations


class Refused(Exception):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
