"""Money and the votes chart for budgeting pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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


@register.simple_tag
def votes_chart(bars, title: str) -> SafeString:
    """A horizontal bar chart as inline SVG, drawn on the server (no script). Funded projects are dark;
    the text of every bar is also in the table beside it for screen readers and copying."""
    row, label_w, bar_w, gap = 30, 58, 480, 6
    height = max(1, len(bars)) * row + 8
    height_bar = row - gap
    text_y = height_bar / 2 + 5

    def rows():
        for i, bar in enumerate(bars):
            y = 4 + i * row
            width = round(max(1.0, bar.width * (bar_w - label_w - 80)), 1)
            yield (
                y + text_y,
                bar.project.code,
                label_w,
                y,
                width,
                height_bar,
                "pb-bar-funded" if bar.funded else "pb-bar",
                label_w + width + 6,
                y + text_y,
                number_format(bar.value, 0, force_grouping=True),
            )

    body = format_html_join(
        "",
        '<g><text x="0" y="{}" class="pb-bar-label">№{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="{}"></rect>'
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
