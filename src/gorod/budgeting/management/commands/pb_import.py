"""gorod pb_import FILE.pb [--municipality SLUG] [--slug SLUG] [--publish]: a closed process with the
file's projects and ballots (the vote over, rules frozen). --publish also tallies and publishes results."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gorod.budgeting import pabulib
from gorod.budgeting.errors import Refused
from gorod.budgeting.exchange import import_file
from gorod.budgeting.services import results_publish
from gorod.city import selectors as city_selectors
from gorod.city.models import Municipality


class Command(BaseCommand):
    help = "Create a participatory-budgeting process from a Pabulib file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", help="slug of the municipality (default: the site's city)")
        parser.add_argument(
            "--slug", default="", help="short name of the new process (default: from the file name)"
        )
        parser.add_argument("--publish", action="store_true", help="tally and publish the results too")

    def handle(self, *args, file: Path, municipality: str | None, slug: str, publish: bool, **options):
        if municipality:
            muni = Municipality.objects.filter(slug=municipality).first()
            if muni is None:
                raise CommandError(f"no municipality {municipality!r}")
        else:
            muni = city_selectors.default_municipality()
            if muni is None:
                raise CommandError("no municipality yet: run `gorod import_city FILE` first")
        try:
            data = pabulib.load(file)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from exc
        except (pabulib.PabulibError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: not a valid Pabulib file: {exc}") from exc
        try:
            process = import_file(municipality=muni, data=data, name=file.name.removesuffix(".pb"), slug=slug)
            if publish:
                results_publish(process=process)
        except Refused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"imported {process.slug} (id {process.pk}): "
            f"{len(data.projects)} projects, {len(data.votes)} ballots"
        )
