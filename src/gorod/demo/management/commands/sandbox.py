"""`gorod sandbox [--reset]`: the training sandbox for new staff (docs/sandbox.md). Builds «Учебный город»
(or the municipality of --city-file, which must say `sandbox: true`) once; running it again leaves one
copy. Prints where it answers and the training accounts, with the passwords of the ones it made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gorod.city.services import CityFileInvalid
from gorod.demo.city import SANDBOX_FILE
from gorod.demo.sandbox import REPORTS, SandboxRefused, sandbox_ensure


class Command(BaseCommand):
    help = (
        "Create the training sandbox: a separate, clearly marked municipality whose mails go nowhere and "
        "which never appears in Open311, open data or another city's pages, with training staff accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="delete the sandbox and its accounts first")
        parser.add_argument(
            "--city-file", type=Path, default=SANDBOX_FILE, help="a city file with sandbox: true"
        )
        parser.add_argument(
            "--reports", type=int, default=REPORTS, help=f"reports of a new sandbox ({REPORTS})"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed of its reports (default 1)")
        parser.add_argument("--anchor", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args, city_file: Path, reset: bool, reports: int, seed: int, anchor, **options):
        if reports < 0:
            raise CommandError("--reports must be zero or more.")
        try:
            result = sandbox_ensure(
                city_file=city_file, reset=reset, reports=reports, seed=seed, anchor=anchor
            )
        except CityFileInvalid as exc:
            raise CommandError(f"The sandbox's city file is invalid:\n{exc}") from None
        except SandboxRefused as exc:
            raise CommandError(str(exc)) from None
        muni = result.municipality
        if reset:
            self.stdout.write(f"Deleted the previous sandbox with its {result.wiped} reports and accounts.")
        self.stdout.write(
            f"Training sandbox {muni.name} ({muni.slug}): {result.reports_total} reports"
            + (f", {result.reports_added} added now." if result.reports_added else ", none added.")
        )
        self.stdout.write(
            "It answers on: "
            + ", ".join(f"http://{h}" for h in result.hosts)
            + " (each must be in GOROD_ALLOWED_HOSTS)."
        )
        self.stdout.write("Every page says it is a training sandbox; its mails go nowhere.")
        self.stdout.write("Training staff accounts (a second factor is set up at the first sign-in):")
        for account in result.accounts:
            where = f", {account.department}" if account.department else ""
            secret = (
                f"password: {account.password}"
                if account.password
                else "password unchanged (--reset for new)"
            )
            self.stdout.write(f"  {account.username:<24} {account.role}{where}; {secret}")
