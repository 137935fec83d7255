"""`gorod stats_rollup [--city SLUG] [--from DAY --to DAY | --rebuild]`: write the dashboards' rollups.

Without dates it does what the worker's daily job does (every finished day not rolled up yet, from the
first report on a first run); with dates it rolls exactly those days again (a backfill or a repair).
Either way a day is replaced whole, so running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from gorod.analytics.stats import rollup
from gorod.city.models import Municipality


class Command(BaseCommand):
    help = "Write the daily rollups behind /stats/ and /performance/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--city", metavar="SLUG", help="one municipality (default: every one)")
        parser.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first local day to roll")
        parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last local day to roll")
        parser.add_argument(
            "--rebuild", action="store_true", help="throw every rollup away and roll from the first report"
        )

    def handle(self, *args, city: str | None, first: str | None, last: str | None, rebuild: bool, **options):
        cities = Municipality.objects.order_by("slug")
        if city:
            cities = cities.filter(slug=city)
            if not cities.exists():
                raise CommandError(f"no municipality with the slug {city!r}")
        if rebuild and (first or last):
            raise CommandError("--rebuild rolls every day: give no dates with it")
        if bool(first) != bool(last):
            raise CommandError("give both --from and --to, or neither")
        days = (_day(first), _day(last)) if first and last else None
        if days and days[0] > days[1]:
            raise CommandError("--from is after --to")
        for municipality in cities:
            started = time.monotonic()
            if rebuild:
                rows = rollup.rebuild(municipality=municipality)
            elif days:
                rows = rollup.roll_days(municipality=municipality, first=days[0], last=days[1])
                rollup.roll_ballots(municipality=municipality)
            else:
                rows = rollup.roll_due(municipality=municipality)
            self.stdout.write(f"{municipality.slug}: {rows} rows in {time.monotonic() - started:.1f} s")


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"{raw!r} is not a date (YYYY-MM-DD)") from None
