"""A chart's data table as HTML, built here rather than by template loops: the heatmap's table has
hundreds of rows, and the template engine spent more time on them than the figures took."""

from __future__ import annotations

from html import escape  # the standard library's: a tenth of the cost of Django's lazy-aware one

from django.utils.safestring import SafeString, mark_safe

from gorod.analytics.stats.dashboard import Chart, shown


def table(chart: Chart, caption: str, links: list[str]) -> SafeString:
    """<table> with a caption, a header row and one row per chart row (its first cell a row header,
    linked where `links` gives an address)."""
    key = escape(chart.key)
    numeric = ' class="perf-num"'
    head = "".join(
        f'<th scope="col"{"" if i == 0 else numeric}>{escape(h)}</th>' for i, h in enumerate(chart.header)
    )
    body = []
    for i, row in enumerate(chart.rows):
        label = escape(shown(row[0]))
        if links and links[i]:
            label = f'<a href="{escape(links[i])}">{label}</a>'
        cells = "".join(f'<td class="perf-num">{escape(shown(v))}</td>' for v in row[1:])
        body.append(f'<tr><th scope="row" class="perf-name">{label}</th>{cells}</tr>')
    return mark_safe(  # noqa: S308 - every text above is escaped
        f'<table class="perf-table stats-data" data-table="{key}">'
        f'<caption id="chart-{key}-caption">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
