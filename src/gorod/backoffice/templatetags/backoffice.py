"""Small template helpers of the back office."""

from django import template

register = template.Library()


@register.filter
def absolute(value):
    """|absolute: the size of a signed number of days (overdue by 3 = -3)."""
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value
