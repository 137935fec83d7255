"""Issue 9 item 15: mails of `PORT=8123 make demo` link to port 8123, not 8000 — in every process the
demo starts (the seeding, the worker, the web server), whether or not the script sets the address."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _site_url(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("GOROD_SITE_URL", "PORT")}
    out = subprocess.run(
        [sys.executable, "-c", "from gorod import settings; print(settings.GOROD_SITE_URL)"],
        env=clean | env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return out.stdout.strip()


def test_links_in_mails_use_the_port_the_demo_serves_on():
    assert _site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(PORT="8123", GOROD_SITE_URL="https://gorod.example/") == "https://gorod.example"
    assert _site_url(PORT="80; rm -rf /") == "http://127.0.0.1:8000"  # not a port: ignored


def test_serve_demo_gives_the_worker_and_the_server_the_demos_address(tmp_path):
    """scripts/serve-demo.sh with a stand-in `uv` that records what each process would get."""
    log = tmp_path / "calls"
    fake = tmp_path / "uv"
    # The worker starts in the background and the script kills it when the server returns: the stand-in
    # server waits (on progress, not on a clock) until the worker's call is written.
    fake.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$GOROD_SITE_URL $*" >> {log}\n'
        '[[ "$*" == *" runserver "* || "$*" == *" serve "* ]] || exit 0\n'
        f"for _ in $(seq 600); do grep -q worker {log} && exit 0; sleep 0.1; done\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if k != "GOROD_SITE_URL"}
    env |= {"PATH": f"{tmp_path}:{env['PATH']}", "PORT": "8123"}
    subprocess.run(["bash", "scripts/serve-demo.sh"], env=env, cwd=ROOT, check=True, capture_output=True)
    calls = log.read_text().splitlines()
    assert any("gorod worker" in c and c.startswith("http://127.0.0.1:8123 ") for c in calls), calls
    assert any(c == "http://127.0.0.1:8123 run --frozen gorod serve --port 8123" for c in calls)


def test_make_passes_the_port_to_every_step_of_the_demo():
    """The seeding step runs before serve-demo.sh: it must see the port (default 8000) as well."""
    env = {k: v for k, v in os.environ.items() if k not in ("PORT", "MAKEFLAGS", "MAKELEVEL")}
    probe = ["make", "-s", "--no-print-directory", "--eval", "probe: ; @echo $$PORT", "probe"]
    default = subprocess.run(probe, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    chosen = subprocess.run(probe, env=env | {"PORT": "8123"}, cwd=ROOT, capture_output=True, text=True)
    assert (default.stdout.strip(), chosen.stdout.strip()) == ("8000", "8123")
