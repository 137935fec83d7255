"""`gorod pb_tally`: prints the funded ids, or JSON; never touches the database; clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from gorod.budgeting import pabulib
from gorod.budgeting.tally import election_from_pabulib, run
from tests.budgeting.tally.conftest import SHARED

BEMOWO = SHARED / "Poland_Warszawa_2017_Bemowo.pb"


# No django_db mark: pytest-django fails any database access, so these also prove the command uses none.
def test_prints_the_funded_ids_one_per_line(capsys):
    call_command("pb_tally", str(BEMOWO), rule="greedy")
    expected = run("greedy", election_from_pabulib(pabulib.load(BEMOWO))).funded
    assert capsys.readouterr().out.split("\n")[:-1] == expected


def test_json_output(capsys):
    call_command("pb_tally", str(BEMOWO), rule="mes", json=True)
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"rule", "funded", "total_cost", "seconds"}
    assert data["rule"] == "mes" and data["funded"][:2] == ["971", "198"]
    assert data["total_cost"] == 334042 and data["seconds"] >= 0


def test_decimal_total_cost_in_json(capsys):
    call_command(
        "pb_tally", str(SHARED / "France_Toulouse_2022_6_-_Saint-Cyprien.pb"), rule="greedy", json=True
    )
    assert json.loads(capsys.readouterr().out)["total_cost"] == 399000


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((str(BEMOWO), "--rule", "borda"), "unknown rule 'borda'"),
        (("/nonexistent/file.pb", "--rule", "mes"), "cannot read /nonexistent/file.pb"),
    ],
)
def test_errors_are_clear(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("pb_tally", *arguments)


def test_a_bad_file_names_its_line(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text(
        "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;ten\nVOTES\nvoter_id;vote\n"
    )
    with pytest.raises(CommandError, match="line 7: cost 'ten' is not a number"):
        call_command("pb_tally", str(bad), rule="greedy")
    binary = tmp_path / "binary.pb"
    binary.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("pb_tally", str(binary), rule="greedy")


def test_runs_without_a_database_and_exits_non_zero_on_errors():
    env = {**os.environ, "DATABASE_URL": "sqlite:////nonexistent/x.sqlite3"}
    env.pop("GOROD_TESTING", None)
    command = [sys.executable, "-m", "gorod.cli", "pb_tally", "--rule", "mes-add1", str(BEMOWO), "--json"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rule"] == "mes-add1"
    failed = subprocess.run(
        [*command[:4], "--rule", "nope", str(BEMOWO)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert failed.returncode != 0
    assert "unknown rule 'nope'" in failed.stderr and "Traceback" not in failed.stderr
