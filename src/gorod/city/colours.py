"""How readable white text is on a colour (WCAG 2), for the brand colours of the city file and the admin."""

from __future__ import annotations

# WCAG 2 AA for normal-size text: the header's white name and menu stand on the brand colours.
MIN_CONTRAST = 4.5


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of white on a #rrggbb colour (1 to 21)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def shown(ratio: float) -> str:
    """Rounded down: a refused 4.49 must never be printed as "4.5"."""
    return f"{int(ratio * 100) / 100:.2f}"
