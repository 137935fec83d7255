"""Signed numbers for effects (+2, −1) with a real minus sign, as the bars' labels show them."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def signed(value: float | int, digits: int = 0) -> str:
    """`+2`, `−1`, `0`; with `digits`, `+1.4` in the active locale's decimal separator."""
    number = round(float(value), int(digits))
    if number == 0:
        return "0"
    body = number_format(abs(number), int(digits)) if digits else str(int(abs(number)))
    return f"+{body}" if number > 0 else f"\u2212{body}"
