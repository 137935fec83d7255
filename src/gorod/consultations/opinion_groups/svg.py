"""The groups as a picture: a server-rendered SVG scatter of participants' places (PCA space, an anonymous
sample) coloured by group, each group also with its own marker shape so colour is not the only cue. The
page's table says the same in words and numbers; the picture is aria-described by it."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 480, 320, 16
# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
SHAPES = (
    '<circle r="4"/>',
    '<rect x="-3.5" y="-3.5" width="7" height="7"/>',
    '<path d="M0,-4.5 L4.5,3.5 L-4.5,3.5 Z"/>',
    '<path d="M0,-5 L5,0 L0,5 L-5,0 Z"/>',
    '<path d="M-4,-1.5 H-1.5 V-4 H1.5 V-1.5 H4 V1.5 H1.5 V4 H-1.5 V1.5 H-4 Z"/>',
)


def colour(group_number: int) -> str:
    return COLOURS[(group_number - 1) % len(COLOURS)]


def marker(group_number: int, size: int = 16) -> SafeString:
    """A small inline SVG of a group's marker, for the legend and the table headers."""
    i = (group_number - 1) % len(SHAPES)
    half = size / 2
    return mark_safe(  # noqa: S308 - constants and numbers only
        f'<svg class="og-marker" width="{size}" height="{size}" viewBox="{-half} {-half} {size} {size}" '
        f'aria-hidden="true" focusable="false"><g fill="{COLOURS[i]}">{SHAPES[i]}</g></svg>'
    )


def scatter(points: list, *, title: str, description_id: str) -> SafeString:
    """`points` are [x, y, group] in a unit box (OpinionResult.points)."""
    defs = "".join(
        f'<g id="og-m{i + 1}" fill="{c}" fill-opacity="0.75">{s}</g>'
        for i, (c, s) in enumerate(zip(COLOURS, SHAPES, strict=True))
    )
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    # One scale for both axes (distances are the message), the cloud centred in the frame.
    x_span = max((float(p[0]) for p in points), default=0.0)
    y_span = max((float(p[1]) for p in points), default=0.0)
    fits = [side / span for side, span in ((inner_w, x_span), (inner_h, y_span)) if span > 0]
    scale = min(fits, default=1.0)
    left = PAD + (inner_w - x_span * scale) / 2
    top = PAD + (inner_h - y_span * scale) / 2
    uses = "".join(
        f'<use href="#og-m{int(g) % len(SHAPES) + 1}" x="{left + float(x) * scale:.1f}" '
        f'y="{top + (y_span - float(y)) * scale:.1f}"/>'
        for x, y, g in points
    )
    return mark_safe(  # noqa: S308 - the title is escaped; everything else is numbers
        f'<svg class="og-scatter" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="og-scatter-title" aria-describedby="{escape(description_id)}">'
        f'<title id="og-scatter-title">{escape(title)}</title>'
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" fill="#fff" stroke="#c8ccd2"/>'
        f"<defs>{defs}</defs>{uses}</svg>"
    )
