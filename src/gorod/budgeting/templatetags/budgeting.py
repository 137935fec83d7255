"""Money and the votes chart for budgeting pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    places = 0 if amount == amount.to_integral_value() else 2
    text = number_format(amount, places, force_grouping=True)
    return f"{text}\u00a0{currency}" if currency else text


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def percent(part, whole) -> int:
    try:
        return round(100 * float(part) / float(whole)) if float(whole) else 0
    except (TypeError, ValueError):
        return 0


NAME_CHARS = 36  # what fits on one line of the chart


@register.simple_tag
def votes_chart(bars, title: str) -> SafeString:
    """A horizontal bar chart as inline SVG, drawn on the server (no script): each bar under its project's
    number and name, so the chart reads without the table. Funded projects are dark; the text of every
    bar is also in the table beside it for screen readers and copying."""
    name_h, bar_h, gap, bar_w, value_w = 24, 22, 12, 400, 70
    row = name_h + bar_h + gap
    height = max(1, len(bars)) * row

    def rows():
        for i, bar in enumerate(bars):
            y = i * row
            width = round(max(1.0, bar.width * (bar_w - value_w)), 1)
            yield (
                y + 18,
                bar.project.code,
                Truncator(bar.project.title).chars(NAME_CHARS),
                y + name_h,
                width,
                bar_h,
                "pb-bar-funded" if bar.funded else "pb-bar",
                width + 6,
                y + name_h + 17,
                number_format(bar.value, 0, force_grouping=True),
            )

    body = format_html_join(
        "",
        '<g><text x="0" y="{}" class="pb-bar-label">№{} {}</text>'
        '<rect x="0" y="{}" width="{}" height="{}" class="{}"></rect>'
        '<text x="{}" y="{}" class="pb-bar-value">{}</text></g>',
        rows(),
    )
    return format_html(
        '<svg class="pb-chart" viewBox="0 0 {} {}" role="img" aria-label="{}"'
        ' preserveAspectRatio="xMinYMin meet">'
        "<title>{}</title>{}</svg>",
        bar_w,
        height,
        title,
        title,
        body,
    )


@register.filter
def phase_state_label(state: str) -> str:
    return {"done": _("finished"), "current": _("now"), "upcoming": _("coming")}.get(state, "")
