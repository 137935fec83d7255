"""bench/RESULTS.md is shared by every bench module: each owns one `## ` section and replaces only it."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(section: str, lines: list[str]) -> None:
    """Put `lines` (which start with the `section` heading) at the end of RESULTS.md, dropping the old
    text of that section and keeping every other one."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if section in text:
        head, _, rest = text.partition(section)
        following = rest.find("\n## ")
        text = head.rstrip("\n") + "\n" + (rest[following:] if following >= 0 else "")
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines).rstrip("\n") + "\n")
