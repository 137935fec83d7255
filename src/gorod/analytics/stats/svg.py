"""Server-rendered SVG charts. Every label goes through escape(); the markup is built here, not in
templates, because the geometry is arithmetic. Each chart is an <svg role="img"> named by its <title>
and <desc>; the exact figures are in the data table the page puts beside it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape  # the standard library's: a tenth of the cost of Django's lazy-aware one

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
BAR = "#1f5fa8"  # 6.4:1 on white; the values are printed beside the bars as well
MAX_MAP_HEIGHT = 560
HEAT = ("#deebf7", "#9ecae1", "#4a90c8", "#1f5fa8", "#08306b")


def _head(key: str, title: str, desc: str, height: float) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{key}-svg-title {key}-svg-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{key}-svg-title">{escape(title)}</title><desc id="{key}-svg-desc">{escape(desc)}</desc>'
    )


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bars(key: str, title: str, desc: str, items: Sequence[tuple[str, float, str]]) -> SafeString:
    """Horizontal bars, one per (label, value, shown value); the label above its bar so that long names
    keep the whole width on a phone (where analytics.css makes the text larger)."""
    row = 56
    height = max(len(items), 1) * row + 8
    top = max((v for _, v, _ in items), default=0) or 1
    parts = [_head(key, title, desc, height)]
    for i, (label, value, shown) in enumerate(items):
        y = i * row
        w = max(value / top * (WIDTH - 110), 1 if value else 0)
        parts.append(
            f'<text x="0" y="{y + 22}" class="chart-label">{escape(_short(label))}</text>'
            f'<rect x="0" y="{y + 30}" width="{w:.1f}" height="18" fill="{BAR}"></rect>'
            f'<text x="{w + 6:.1f}" y="{y + 46}" class="chart-value">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def columns(key: str, title: str, desc: str, items: Sequence[tuple[str, float, str]]) -> SafeString:
    """Vertical bars (a histogram or months) with their labels below; with many bars only every k-th
    label is written, so they never overlap."""
    n = max(len(items), 1)
    plot_top, plot_h, label_h = 30, 200, 44
    step = WIDTH / n
    every = max(1, math.ceil(n / 10))
    top = max((v for _, v, _ in items), default=0) or 1
    parts = [_head(key, title, desc, plot_top + plot_h + label_h)]
    parts.append(
        f'<line x1="0" y1="{plot_top + plot_h}" x2="{WIDTH}" y2="{plot_top + plot_h}" '
        'class="chart-axis"></line>'
    )
    for i, (label, value, shown) in enumerate(items):
        h = value / top * plot_h
        x = i * step
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{plot_top + plot_h - h:.1f}" width="{step * 0.8:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"><title>{escape(label)}: {escape(shown)}</title></rect>'
        )
        if n <= 12 and value:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{plot_top + plot_h - h - 4:.1f}" text-anchor="middle" '
                f'class="chart-value">{escape(shown)}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{plot_top + plot_h + 26}" text-anchor="middle" '
                f'class="chart-tick">{escape(_short(label, 12))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def heatmap(
    key: str,
    title: str,
    desc: str,
    cells: Sequence[tuple[list[tuple[float, float]], int]],
    outlines: Sequence[Sequence[tuple[float, float]]],
) -> SafeString:
    """H3 cells as hexagons ((lat, lon) corners, count) over the district outlines ((lat, lon) rings),
    which frame the map; equirectangular, scaled by the cosine of the mean latitude (true shapes at a
    city's size), shaded in len(HEAT) classes."""
    frame = [p for ring in outlines for p in ring] or [p for corners, _ in cells for p in corners]
    if not frame:
        return mark_safe("")
    lats, lons = [p[0] for p in frame], [p[1] for p in frame]
    south, north, west = min(lats), max(lats), min(lons)
    k = math.cos(math.radians((south + north) / 2))
    span_x, span_y = (max(lons) - west) * k or 1e-6, (north - south) or 1e-6
    scale = min((WIDTH - 8) / span_x, MAX_MAP_HEIGHT / span_y)
    map_h = span_y * scale

    def xy(ring) -> str:
        return " ".join(
            f"{(lon - west) * k * scale + 4:.1f},{(north - lat) * scale + 4:.1f}" for lat, lon in ring
        )

    legend_h = 40
    top = max((n for _, n in cells), default=1)
    legend = _classes(top)
    parts = [_head(key, title, desc, map_h + 8 + legend_h)]
    for corners, n in cells:
        shade = HEAT[_class_of(n, top)]
        parts.append(
            f'<polygon points="{xy(corners)}" fill="{shade}" class="chart-cell"><title>{n}</title></polygon>'
        )
    for ring in outlines:
        parts.append(f'<polygon points="{xy(ring)}" class="chart-outline"></polygon>')
    y = map_h + 16
    for i, (index, text) in enumerate(legend):
        x = i * (WIDTH / len(HEAT))
        colour = HEAT[index]
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="18" height="14" fill="{colour}" class="chart-cell"></rect>'
            f'<text x="{x + 24:.1f}" y="{y + 12:.1f}" class="chart-label">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _class_of(n: int, top: int) -> int:
    return min(n * len(HEAT) // top, len(HEAT) - 1)


def _classes(top: int) -> list[tuple[int, str]]:
    """(shade, "low–high") of each class that some count from 1 to top falls in (_class_of)."""
    k = len(HEAT)
    out = []
    for i in range(k):
        low = max(-(-i * top // k), 1)  # the least n with n * k // top >= i
        high = top if i == k - 1 else -(-(i + 1) * top // k) - 1
        if low <= high:
            out.append((i, str(low) if low == high else f"{low}–{high}"))
    return out
