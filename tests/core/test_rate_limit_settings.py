"""The installation's limits: every scope the code counts has one, and the environment can change them."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from gorod.core import ratelimit
from gorod.settings import _rate_limits

SRC = Path(__file__).resolve().parents[2] / "src" / "gorod"
NAMED = re.compile(r'(?:per_client|ratelimit\.hit|ratelimit\.check|_throttle)\(\s*"([a-z0-9_]+)"')


def test_every_scope_the_code_counts_has_a_limit():
    used = {scope for path in SRC.rglob("*.py") for scope in NAMED.findall(path.read_text())}
    assert {"report", "open311_client", "open311_key", "ballot", "game_play", "signup"} <= used
    assert used <= set(settings.GOROD_RATE_LIMITS), used - set(settings.GOROD_RATE_LIMITS)
    for spec in settings.GOROD_RATE_LIMITS.values():
        ratelimit.parse(spec)  # a typo would otherwise surface as a 500 on the first write


def test_the_environment_changes_or_removes_scopes():
    defaults = {"report": "10/10m", "ballot": "30/10m", "signup": "10/h"}
    assert _rate_limits(defaults, " report = 20/10m , ballot=off,signup=,game_play=3/h ") == {
        "report": "20/10m",
        "game_play": "3/h",
    }
    assert _rate_limits(defaults, "") == defaults
