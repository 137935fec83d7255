"""The words of a text message: the commands carriers and Twilio know (a message that is nothing but STOP
stops replies), the keyword a message starts with, and keywords' normal form."""

from __future__ import annotations

import re

from gorod.consultations.textin.models import WORD_MAX

STOP = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "СТОП", "ОТПИСАТЬСЯ", "ОТПИСКА"})
START = frozenset({"START", "YES", "UNSTOP", "СТАРТ"})
HELP = frozenset({"HELP", "INFO", "ПОМОЩЬ", "СПРАВКА"})
RESERVED = STOP | START | HELP

_WORD = re.compile(rf"^[0-9A-ZА-Я]{{2,{WORD_MAX}}}$")
_EDGE = ".,:;!?#\"'«»()-—"


def normal(word: str) -> str:
    """Upper case, Ё as Е, punctuation around it dropped: "#парк," → "ПАРК"."""
    return (word or "").strip().strip(_EDGE).upper().replace("Ё", "Е")


def is_valid_keyword(word: str) -> bool:
    return bool(_WORD.match(word)) and word not in RESERVED


def command_of(body: str) -> str:
    """ "stop" / "STOP" / "Стоп." → "STOP"; "" unless the whole message is one command word."""
    parts = body.split()
    if len(parts) != 1:
        return ""
    word = normal(parts[0])
    if word in STOP:
        return "STOP"
    if word in START:
        return "START"
    if word in HELP:
        return "HELP"
    return ""


def split(body: str) -> tuple[str, str]:
    """(the first word, normalised; the rest of the message, stripped)."""
    parts = body.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return normal(parts[0])[:WORD_MAX], (parts[1] if len(parts) > 1 else "").strip()


def language_of(body: str, default: str) -> str:
    """The language to answer in: Russian for a message with Cyrillic letters, English for one with Latin
    letters only, the site's default for neither."""
    if re.search(r"[А-Яа-яЁё]", body):
        return "ru"
    if re.search(r"[A-Za-z]", body):
        return "en"
    return default
