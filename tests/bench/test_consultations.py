"""bench/consultations.py at a small size: it builds its database, every request answers 200 and the
figures come back (the 100,000-contribution run is `make bench`'s)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_map_feedback_bench_runs_at_a_small_size(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("GOROD_TESTING", "DATABASE_URL")}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.consultations",
            "--contributions",
            "200",
            "--runs",
            "3",
            "--no-write",
            "--var",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(figures) == {
        "heatmap (resolution 9)",
        "heatmap (resolution 9) just after a change (not cached)",
        "heatmap (resolution 7)",
        "project page",
        "map feedback page",
        "GeoJSON export (all visible)",
    }
    assert all(f["p50"] > 0 and f["bytes"] > 0 for f in figures.values())
    assert figures["heatmap (resolution 9)"]["target"] == 50.0
    assert list(tmp_path.glob("consultations-200-*.sqlite3"))
