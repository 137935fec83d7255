"""gorod pb_codes PROCESS --count N [--district SLUG] [--output FILE]: make a batch of one-time voting codes
and print them ONCE, for the print shop. Only their keyed hashes are stored: lost codes cannot be shown
again, only replaced by a new batch."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gorod.budgeting.eligibility.codes import codes_generate
from gorod.budgeting.errors import Refused
from gorod.budgeting.management.commands.pb_export import Command as Export
from gorod.budgeting.management.commands.pb_export import emit


class Command(BaseCommand):
    help = "Generate one-time voting codes for mailing; prints them once."

    def add_arguments(self, parser):
        parser.add_argument("process", help="id or slug")
        parser.add_argument("--municipality", help="slug of the municipality, for a process slug")
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument(
            "--district", default="", help="district slug of the addressees (default: the city)"
        )
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")

    def handle(
        self, *args, process: str, municipality: str | None, count: int, district: str, output, **options
    ):
        found = Export()._process(process, municipality)
        chosen = None
        if district:
            chosen = found.municipality.districts.filter(slug=district).first()
            if chosen is None:
                raise CommandError(f"no district {district!r}")
        try:
            codes = codes_generate(process=found, count=count, district=chosen)
        except Refused as exc:
            raise CommandError(str(exc)) from exc
        text = "".join(f"{c}\n" for c in codes)
        emit(self, text, output, f"wrote {len(codes)} codes to {output}")
