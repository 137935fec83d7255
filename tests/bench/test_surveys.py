"""bench/surveys.py at a small size: it builds its own database, counts every response, prints figures."""

from __future__ import annotations

from bench import surveys


def test_the_survey_bench_runs_at_a_small_size(tmp_path, capsys):
    assert (
        surveys.main(["--responses", "300", "--iterations", "3", "--no-write", "--dir", str(tmp_path)]) == 0
    )
    out = capsys.readouterr().out
    assert "300 responses" in out and "| p50 |" in out
