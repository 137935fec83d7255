"""reports records events and never calls upward: no module of gorod.reports imports gorod.notifications,
not even inside a function, and the write layer imports first in a fresh interpreter (it used not to:
reports.services → events → notifications.fanout → mails → reports.feedback → reports.services)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gorod.reports

REPORTS = Path(gorod.reports.__file__).parent
UPWARD = "gorod.notifications"


def _imported(tree: ast.AST) -> set[str]:
    """Every module a file names in an import statement or an import_string/import_module call."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_string", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def test_no_module_of_reports_imports_notifications():
    found = {
        str(path.relative_to(REPORTS)): sorted(
            n for n in _imported(ast.parse(path.read_text())) if n.startswith(UPWARD)
        )
        for path in REPORTS.rglob("*.py")
    }
    assert {path: names for path, names in found.items() if names} == {}


def test_the_check_sees_an_import_inside_a_function():
    tree = ast.parse(
        "def f():\n    from gorod.notifications.services import x\n    import_string('gorod.notifications.a')"
    )
    assert {"gorod.notifications.services", "gorod.notifications.a"} <= _imported(tree)


@pytest.mark.parametrize(
    "module",
    ["gorod.reports.services", "gorod.reports.services.moderation", "gorod.reports.services.feedback"],
)
def test_the_write_layer_imports_first_in_a_fresh_interpreter(module):
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); import {module}"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "gorod.settings", "GOROD_TESTING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
