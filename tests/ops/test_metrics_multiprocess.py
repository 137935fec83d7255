"""Under gunicorn each worker process answers requests: with PROMETHEUS_MULTIPROC_DIR set, the latency
observed by every process is in the scrape, whichever process answers it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OBSERVE = (
    "from gorod.ops.middleware import LATENCY; LATENCY.labels('report-detail', 'GET', '2xx').observe(0.05)"
)


def test_every_process_latency_is_summed_in_multiprocess_mode(tmp_path, monkeypatch):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):  # two "gunicorn workers", each observing one request and exiting
        done = subprocess.run(
            [sys.executable, "-c", OBSERVE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]

    from prometheus_client import generate_latest

    from gorod.ops import views

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setattr(views, "DatabaseCollector", lambda: _Nothing())
    text = generate_latest(views.registry()).decode()
    line = next(
        line
        for line in text.splitlines()
        if line.startswith("gorod_request_duration_seconds_count") and 'view="report-detail"' in line
    )
    assert float(line.rsplit(" ", 1)[1]) == 2.0


class _Nothing:
    def collect(self):
        return iter(())
