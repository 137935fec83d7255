"""`|ago`: how long ago, measured from core.clock (humanize's naturaltime reads the system clock, so it
would disagree with every deadline computed from the project's clock)."""

import datetime as dt

from django import template
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from gorod.core import clock

register = template.Library()


@register.filter
def ago(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    now = clock.now()
    if now - value < dt.timedelta(minutes=1):
        return _("now")  # humanize's catalogue translates it
    return _("%(delta)s ago") % {"delta": timesince(value, now, depth=1)}
