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
    rows = []
    for i, bar in enumerate(bars):
        y = 4 + i * row
        value = bar.score if bar.score is not None else bar.votes
        width = max(1.0, bar.width * (bar_w - label_w - 80))
        rows.append(
            (
                y,
                label_w,
                round(width, 1),
                row - gap,
                "pb-bar-funded" if bar.funded else "pb-bar",
                label_w + round(width, 1) + 6,
                y + (row - gap) / 2 + 5,
                number_format(value, 0, force_grouping=True),
                y + (row - gap) / 2 + 5,
                bar.project.code,
            )
        )
    body = format_html_join(
        "",
        '<g><text x="0" y="{}" class="pb-bar-label">№{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="{}"></rect>'
        '<text x="{}" y="{}" class="pb-bar-value">{}</text></g>',
        ((r[8], r[9], r[1], r[0], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows),
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
