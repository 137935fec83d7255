"""What text-in answers, in the sender's language (words.language_of). Short: one SMS segment where the
text allows it."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import override


def _in(language: str, build) -> str:
    with override(language):
        return str(build())


def accepted(language: str, *, project: str, awaiting: bool, url: str) -> str:
    if awaiting:
        return _in(
            language,
            lambda: (
                _("Thank you! Your comment on “%(p)s” will appear once a moderator has read it. %(u)s")
                % {"p": project, "u": url}
            ),
        )
    return _in(
        language,
        lambda: _("Thank you! Your comment on “%(p)s” is published: %(u)s") % {"p": project, "u": url},
    )


def unknown(language: str, *, word: str, examples: list[str]) -> str:
    def build():
        text = _(
            "We do not know the keyword “%(w)s”. Start your message with the keyword on the sign, "
            "then a space and your comment."
        ) % {"w": word}
        if examples:
            text += " " + _("Keywords now: %(k)s.") % {"k": ", ".join(examples)}
        return text

    return _in(language, build)


def empty(language: str, *, word: str) -> str:
    return _in(
        language,
        lambda: (
            _("Write your comment after the keyword, e.g. “%(w)s more benches by the pond”.") % {"w": word}
        ),
    )


def refused(language: str, *, reason: str) -> str:
    return _in(language, lambda: _("Your comment was not taken: %(r)s") % {"r": reason})


def closed(language: str, *, project: str, reason_of) -> str:
    return _in(language, lambda: f"“{project}”: {reason_of()}")


def barred(language: str, *, reason: str, until) -> str:
    def build():
        if until is None:
            return _("A moderator has barred this number from commenting on the city's projects: %(r)s") % {
                "r": reason
            }
        return _(
            "A moderator has barred this number from commenting on the city's projects until %(d)s: %(r)s"
        ) % {
            "d": date_format(localtime(until), "DATE_FORMAT"),
            "r": reason,
        }

    return _in(language, build)


def stopped(language: str) -> str:
    return _in(
        language, lambda: _("You will get no more replies from this number. Text START to get them again.")
    )


def started(language: str) -> str:
    return _in(language, lambda: _("Replies are on again. Text STOP to stop them."))


def help_text(language: str, *, examples: list[str]) -> str:
    def build():
        text = _(
            "Comment on a city project: text the keyword on its sign, a space and your comment. "
            "STOP stops replies."
        )
        if examples:
            text += " " + _("Keywords now: %(k)s.") % {"k": ", ".join(examples)}
        return text

    return _in(language, build)
