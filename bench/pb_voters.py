"""Voters for the load scenario's ballots (bench/load.py, bench/locustfile.py): one-time voting codes
for every district ballot of the demo's open process, written to a JSON file the locust users take them
from. A code votes once, so each run makes a new batch, as large as the run may need.

    DATABASE_URL=... uv run --frozen python -m bench.pb_voters --count 500 --output voters.json

Exits with 3 when the demo's vote is not open today (a database seeded over two months ago): the caller
then builds a fresh database. The codes are the demo's, made for this machine's load test only."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

VOTE_CLOSED = 3
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_PROJECT = re.compile(r'name="project" value="([^"]+)"')


def ballot_form(html: str) -> tuple[str, list[str]]:
    """What a voter's browser sends back from the ballot page: the CSRF token and the projects to tick."""
    token = _CSRF.search(html)
    return (token.group(1) if token else ""), _PROJECT.findall(html)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="codes per district ballot")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
    import django

    django.setup()
    from gorod.budgeting import selectors
    from gorod.budgeting.eligibility.codes import codes_generate
    from gorod.budgeting.services.voting import voting_window_error
    from gorod.budgeting.views.common import scope_key
    from gorod.city.selectors import default_municipality
    from gorod.demo.budgeting.processes import OPEN_SLUG

    process = selectors.process_by_slug(default_municipality(), OPEN_SLUG)
    if process is None:
        print(f"no process {OPEN_SLUG} (seed_demo makes it)", file=sys.stderr)
        return 1
    closed = voting_window_error(process)
    if closed:
        print(f"{OPEN_SLUG}: {closed}", file=sys.stderr)
        return VOTE_CLOSED
    ballots = [
        {
            "scope": scope_key(budget),
            "codes": codes_generate(process=process, count=args.count, district=budget.district),
        }
        for budget in process.budgets.select_related("district")  # a city-wide budget's codes: no district
    ]
    args.output.write_text(json.dumps({"slug": process.slug, "ballots": ballots}))
    args.output.chmod(0o600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
