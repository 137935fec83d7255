"""CSV cells a spreadsheet will not run. Open data (analytics) and survey exports (consultations) both
write residents' text to CSV, so the guard lives here, below both."""

from __future__ import annotations

from typing import Any

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a CSV cell a spreadsheet will not execute: text starting with a formula character
    gets a leading apostrophe. Numbers are left alone (a negative number is data, not a formula)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
