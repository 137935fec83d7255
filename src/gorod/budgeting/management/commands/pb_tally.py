"""`gorod pb_tally --rule RULE FILE.pb [--json]`: tally a Pabulib file without touching the database."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from gorod.budgeting import pabulib
from gorod.budgeting.tally import RULES, ElectionError, election_from_pabulib, run


class Command(BaseCommand):
    help = "Tally a Pabulib file with a participatory-budgeting rule and print the funded project ids."
    # Nothing here reads the database; skipping the checks keeps it usable without one.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.pb")
        parser.add_argument("--rule", required=True, help=f"one of: {', '.join(RULES)}")
        parser.add_argument(
            "--json", action="store_true", help="print rule, funded, total_cost and seconds as JSON"
        )

    def handle(self, *args, file: str, rule: str, json: bool, **options):
        if rule not in RULES:
            raise CommandError(f"unknown rule {rule!r}; rules: {', '.join(RULES)}")
        try:
            parsed = pabulib.load(file)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text") from None
        except pabulib.PabulibError as exc:
            raise CommandError(f"{file}: {exc}") from None
        try:
            outcome = run(rule, election_from_pabulib(parsed))
        except ElectionError as exc:
            raise CommandError(f"{file}: {exc}") from None
        if json:
            self.stdout.write(_dumps(outcome.as_json()))
        else:
            for project_id in outcome.funded:
                self.stdout.write(project_id)


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
