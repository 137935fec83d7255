"""gorod pb_export PROCESS [--scope city|DISTRICT] [--output FILE]: the ballots of one scope as Pabulib.
PROCESS is an id or a slug (of the site's city, or --municipality)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gorod.budgeting.errors import Refused
from gorod.budgeting.exchange import export_text
from gorod.budgeting.models import Process
from gorod.city import selectors as city_selectors


def emit(command: BaseCommand, text: str, output: Path | None, note: str) -> None:
    """Write text to standard output, or to the file output and then note on standard error."""
    if output is None:
        command.stdout.write(text, ending="")
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
    command.stderr.write(note)


class Command(BaseCommand):
    help = "Write a participatory-budgeting process's projects and ballots in the Pabulib format."

    def add_arguments(self, parser):
        parser.add_argument("process", help="id or slug")
        parser.add_argument("--municipality", help="slug of the municipality, for a process slug")
        parser.add_argument(
            "--scope", default="", help="'city' or a district slug (needed with several budgets)"
        )
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")

    def handle(
        self, *args, process: str, municipality: str | None, scope: str, output: Path | None, **options
    ):
        found = self._process(process, municipality)
        budgets = list(found.budgets.select_related("district"))
        if scope:
            chosen = [
                b
                for b in budgets
                if (b.district is None and scope == "city") or (b.district and b.district.slug == scope)
            ]
            if not chosen:
                raise CommandError(f"process {found.slug} has no budget for {scope!r}")
        elif len(budgets) == 1:
            chosen = budgets
        else:
            names = ", ".join("city" if b.district is None else b.district.slug for b in budgets)
            raise CommandError(f"process {found.slug} has several budgets; choose --scope ({names})")
        try:
            text = export_text(found, chosen[0].district)
        except Refused as exc:
            raise CommandError(str(exc)) from exc
        emit(self, text, output, f"wrote {output}")

    def _process(self, key: str, municipality: str | None) -> Process:
        if key.isdigit():
            found = Process.objects.filter(pk=int(key)).first()
        else:
            qs = Process.objects.filter(slug=key)
            if municipality:
                qs = qs.filter(municipality__slug=municipality)
            else:
                city = city_selectors.default_municipality()
                qs = qs.filter(municipality=city) if city else qs.none()
            found = qs.first()
        if found is None:
            raise CommandError(f"no process {key!r}")
        return found
