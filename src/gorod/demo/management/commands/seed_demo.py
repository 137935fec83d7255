"""`gorod seed_demo`: the demo city of St Petersburg with its accounts, API key and N historical reports,
and a small second city, Petrozavodsk (its own host, colours, logo, moderator and 40 reports).

Determinism: the reports are a function of the seed, the city file and the *anchor day* — the last day
before the reports' window (default: today in the city's time zone; --anchor fixes it). The same seed
and anchor on a fresh database give the same report numbers, categories, places, texts and statuses.
Only things that are not content differ: photo file names and password salts.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from gorod.city import districts
from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Municipality
from gorod.city.services import CityFileInvalid, city_import, city_import_file, parse_city_file
from gorod.core import clock
from gorod.core.images import PhotoRejected, clean_photo
from gorod.demo import stats as demo_stats
from gorod.demo.accounts import demo_accounts_ensure, demo_api_key_ensure, describe
from gorod.demo.city import DEMO_SLUG, PETROZAVODSK_FILE, SPB_FILE
from gorod.demo.reports import pictures
from gorod.demo.reports.history import Generator, World
from gorod.demo.seeders import EXTRA_SEEDERS
from gorod.reports import photo_store
from gorod.reports.models import Photo, Report
from gorod.reports.services.bulk import reports_delete_for, reports_load_history, restart_numbering_if_empty

# Above this, each batch commits on its own: one transaction over a million rows makes SQLite's WAL
# file as large as the data.
ONE_TRANSACTION_UP_TO = 200_000
# The second demo city (petrozavodsk.yaml, on its own host): small, to show one installation serving two.
SECOND_CITY_REPORTS = 40
SECOND_SLUG = "petrozavodsk"
SECOND_HOST = "petrozavodsk.localhost"  # browsers send *.localhost to 127.0.0.1 by themselves


class Command(BaseCommand):
    help = (
        "Build the St Petersburg demo city: districts, departments, categories, demo accounts, a demo "
        "Open311 API key and N historical reports; and the small second city, Petrozavodsk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=20_000, help="how many reports (default 20000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--anchor",
            type=dt.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD: reports cover the two years before this day (default: today)",
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the demo city has reports")
        parser.add_argument("--reset", action="store_true", help="delete the demo city's reports first")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(
        self,
        *args,
        reports: int,
        seed: int,
        anchor: dt.date | None,
        if_empty: bool,
        reset: bool,
        no_progress: bool,
        **options,
    ):
        if reports < 0:
            raise CommandError("--reports must be zero or more.")
        started = time.monotonic()
        existing = Municipality.objects.filter(slug=DEMO_SLUG).first()
        count = Report.objects.filter(municipality=existing).count() if existing else 0
        if count and if_empty:
            self.stdout.write(f"The demo city already has {count} reports; leaving it as it is.")
            second = Municipality.objects.filter(slug=SECOND_SLUG).first()
            if second is None or not Report.objects.filter(municipality=second).exists():
                # A demo seeded before there was a second city gets it now, once.
                today = clock.today(ZoneInfo(existing.timezone)) if existing else None
                self._second_city(seed, anchor or today)
            self._accounts()
            return
        if count and not reset:
            raise CommandError(
                f"The demo city already has {count} reports. Run with --reset to delete them and seed "
                "again, or with --if-empty to keep them."
            )
        try:
            city = parse_city_file(SPB_FILE.read_text(encoding="utf-8"), filename=SPB_FILE.name)
        except CityFileInvalid as exc:
            raise CommandError(f"The demo city file is invalid:\n{exc}") from None
        today = clock.today(ZoneInfo(city.municipality.timezone))
        anchor = anchor or today
        if anchor > today:
            raise CommandError("--anchor cannot be in the future.")
        muni = city_import(city)
        districts.invalidate_districts()
        city_selectors.invalidate_caches()
        if count:
            deleted = reports_delete_for(muni)
            self.stdout.write(f"Deleted {deleted} reports of the demo city.")
        second = Municipality.objects.filter(slug=SECOND_SLUG).first()
        if second is not None:  # reseeded below, after the main city: numbers start from 1 again
            reports_delete_for(second)
        restart_numbering_if_empty()
        users = demo_accounts_ensure(muni, reset_passwords=reset)
        demo_api_key_ensure()
        self.stdout.write(
            f"Imported {muni.name} from {SPB_FILE.name}; accounts and API key ready "
            f"({time.monotonic() - started:.1f} s)."
        )

        loaded = time.monotonic()
        world = World.load(muni, users)
        generator = Generator(world, n=reports, seed=seed, anchor=anchor)
        with tqdm(
            total=reports, unit=" reports", desc="Reports", file=sys.stderr, disable=no_progress
        ) as bar:
            result = reports_load_history(
                muni,
                generator.rows(),
                progress=bar.update,
                atomic=reports <= ONE_TRANSACTION_UP_TO,
                routes=world.routes,
            )
        elapsed = time.monotonic() - loaded
        rate = len(result.ids) / elapsed if elapsed else 0
        self.stdout.write(
            f"Created {len(result.ids)} reports with {result.events} events in {elapsed:.1f} s "
            f"({rate:,.0f} reports/s), anchor {anchor.isoformat()}, seed {seed}."
        )
        photos = self._photos(generator, result.ids, seed, no_progress)
        self.stdout.write(f"Added {photos} photos. Total {time.monotonic() - started:.1f} s.")
        self._extras(muni, seed, anchor)
        self._second_city(seed, anchor)
        self._accounts()

    def _second_city(self, seed: int, anchor: dt.date | None) -> None:
        """Petrozavodsk with its colours and logo (read beside its file), its moderator and a few dozen
        reports made by the same generator as the main city's; served on petrozavodsk.localhost."""
        try:
            muni = city_import_file(PETROZAVODSK_FILE)
        except CityFileInvalid as exc:
            raise CommandError(f"The second demo city's file is invalid:\n{exc}") from None
        districts.invalidate_districts()
        city_selectors.invalidate_caches()
        users = demo_accounts_ensure(muni, second_city=True)
        anchor = anchor or clock.today(ZoneInfo(muni.timezone))
        # A seed of its own: the same one would draw the main city's report tokens again.
        own_seed = seed + 1_000_000
        generator = Generator(World.load(muni, users), n=SECOND_CITY_REPORTS, seed=own_seed, anchor=anchor)
        result = reports_load_history(muni, generator.rows(), atomic=True, routes=generator.w.routes)
        self.stdout.write(
            f"Imported {muni.name} from {PETROZAVODSK_FILE.name} with {len(result.ids)} reports "
            f"(its own site: http://{SECOND_HOST}:{urlsplit(settings.GOROD_SITE_URL).port or 80}/)."
        )
        demo_stats.seed(municipality=muni, seed=own_seed, anchor=anchor, stdout=self.stdout)  # its dashboards

    def _extras(self, municipality: Municipality, seed: int, anchor: dt.date) -> None:
        for extra in EXTRA_SEEDERS:
            extra(municipality=municipality, seed=seed, anchor=anchor, stdout=self.stdout)

    def _photos(self, generator: Generator, ids, seed: int, no_progress: bool) -> int:
        """Draw, clean (as any upload is) and store the photos picked by the generator."""
        codes = dict(
            Category.objects.filter(municipality=generator.w.municipality).values_list("pk", "service_code")
        )
        reports = {
            pk: (category_id, created)
            for pk, category_id, created in Report.objects.filter(
                pk__in=[ids[i] for i in generator.photo_rows]
            ).values_list("pk", "category_id", "created")
        }
        rows = []
        for index in tqdm(
            generator.photo_rows, unit=" photos", desc="Photos", file=sys.stderr, disable=no_progress
        ):
            report_id = ids[index]
            rng = random.Random(seed * 1_000_003 + index)
            try:
                content = clean_photo(pictures.draw(rng, codes[reports[report_id][0]]))
            except PhotoRejected as exc:  # cannot happen with our own drawings; say so if it does
                raise CommandError(f"a generated photo was refused: {exc}") from None
            photo = Photo(report_id=report_id, order=0)
            photo.created = photo.updated = reports[report_id][1]
            photo.image.save(content.name or "photo.jpg", content, save=False)
            rows.append(photo)
        with transaction.atomic():
            Photo.objects.bulk_create(rows, batch_size=500)
            # Photos of rejected or withheld reports leave the public media tree, as after any change.
            photo_store.mark(report_ids={row.report_id for row in rows})
        photo_store.settle(limit=len(rows))
        return len(rows)

    def _accounts(self) -> None:
        for line in describe():
            self.stdout.write(line)
