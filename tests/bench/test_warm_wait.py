"""bench.run waits for each server worker's warm-up line in its log: the server it starts must log it even
though the bench itself runs quietly (GOROD_LOG_LEVEL=WARNING hid the line and `make bench` waited 15
minutes, then gave up)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from bench.run import ROOT, SERVER_LOG_ENV

from gorod.core.warmup import FINISHED

WARM_UP_ALONE = (
    "import django; django.setup();"
    "from django.conf import settings; settings.GOROD_WARM_UP = [];"
    "from gorod.core import warmup; warmup.run()"
)


def _log_of_a_warm_up(extra_env: dict) -> str:
    env = os.environ | {"GOROD_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "gorod.settings"} | extra_env
    env.pop("GOROD_TESTING", None)
    done = subprocess.run(
        [sys.executable, "-c", WARM_UP_ALONE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


@pytest.mark.parametrize(("extra_env", "logged"), [({}, False), (SERVER_LOG_ENV, True)])
def test_the_server_environment_lets_the_warm_up_line_through(extra_env, logged):
    assert (FINISHED in _log_of_a_warm_up(extra_env)) is logged
