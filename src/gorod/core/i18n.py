"""Names are kept in Russian and, where given, English (`name`/`name_en`, and the like)."""

from __future__ import annotations

from django.utils.translation import get_language


def localized(russian, english):
    """The English form when the active language is English and there is one; else the Russian."""
    return english if english and (get_language() or "ru").startswith("en") else russian
