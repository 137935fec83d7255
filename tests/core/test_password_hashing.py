"""Tests hash passwords fast (GOROD_TESTING); production must still hash them with Argon2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_hash_passwords_with_argon2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"GOROD_TESTING", "DJANGO_SETTINGS_MODULE"}}
    env |= {"GOROD_VAR_DIR": str(tmp_path), "GOROD_SECRET_KEY": "argon2-check"}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'gorod.settings'; django.setup();"
        "from django.contrib.auth.hashers import make_password; print(make_password('secret'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("argon2$argon2id$")
