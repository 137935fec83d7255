from django import template

from gorod.notifications import selectors

register = template.Library()


@register.simple_tag
def is_following(report, user) -> bool:
    """Whether `user` follows `report` (one indexed query; false for visitors)."""
    return selectors.is_following(user, report)
