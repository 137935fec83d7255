"""bench/lean.py --write replaces its own section of bench/RESULTS.md where it stands."""

from __future__ import annotations

from bench import lean, results


def test_the_floor_section_is_replaced_in_place_and_the_others_kept(tmp_path, monkeypatch):
    path = tmp_path / "RESULTS.md"
    path.write_text(
        "# Benchmark results\n\n## Results\n\nold figures\n\n"
        f"{lean.SECTION}\n\n| old table |\n\n## Participatory budgeting tally\n\nkept\n"
    )
    monkeypatch.setattr(results, "RESULTS", path)
    lean.write_section(
        ["| new table |"], command="uv run python -m bench.lean --write", loads=[3.0, 4.5], seconds=61
    )
    text = path.read_text()
    assert "| old table |" not in text and "| new table |" in text
    assert text.count(lean.SECTION) == 1
    assert (
        text.index("## Results") < text.index(lean.SECTION) < text.index("## Participatory budgeting tally")
    )
    assert "old figures" in text and text.endswith("kept\n")
    assert "load average (1 min) at the start and the end: 3.0, 4.5" in text
