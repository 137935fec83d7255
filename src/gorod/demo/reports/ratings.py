"""Demo satisfaction ratings (a `seed_demo` extra). The demo's histories already hold confirmations,
disputes and reopenings; what they lack is the authors' ratings, so the performance page would show no
satisfaction. This rates a share of the explicitly confirmed reports, a little after the confirmation,
with scores that depend on whether the fix came on time and on the department (so departments differ).

Deterministic for a seed; idempotent: reports that already have a rating are left alone."""

from __future__ import annotations

import datetime as dt
import random
import zlib

from django.db import transaction
from django.db.models import Min

from gorod.city.models import Municipality
from gorod.core import clock
from gorod.reports.models import ReportEvent, Satisfaction
from gorod.reports.services.feedback import AUTO_MARK

RATED_SHARE = 0.45
COMMENTS = (
    "Спасибо, сделали быстро.",
    "Сделано, но пришлось ждать.",
    "Хорошо, что отремонтировали.",
    "Качество работ так себе.",
    "Thank you, well done.",
)


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    confirms = list(
        ReportEvent.objects.filter(
            report__municipality=municipality, action="confirm", report__satisfaction__isnull=True
        )
        .exclude(changes__has_key=AUTO_MARK)
        .order_by("report_id", "at")
        .values_list("report_id", "at", "report__department_id", "report__deadline")
    )
    if not confirms:
        return
    report_ids = [c[0] for c in confirms]
    first_resolved = dict(
        ReportEvent.objects.filter(report_id__in=report_ids, action="resolve")
        .values_list("report_id")
        .annotate(first=Min("at"))
        .values_list("report_id", "first")
    )
    now = clock.now()
    ratings: list[Satisfaction] = []
    seen: set[int] = set()
    for report_id, confirmed_at, department_id, deadline in confirms:
        if report_id in seen:
            continue
        seen.add(report_id)
        # Decide from a generator of the report's own, so adding reports does not reshuffle the others.
        own = random.Random(zlib.crc32(f"{seed}:{report_id}".encode()))
        if own.random() >= RATED_SHARE:
            continue
        resolved = first_resolved.get(report_id)
        on_time = resolved is not None and resolved.date() <= deadline
        # A department's own tendency, between -0.6 and +0.6, stable for the seed.
        tendency = (zlib.crc32(f"{seed}:dep:{department_id}".encode()) % 1000) / 1000 * 1.2 - 0.6
        mean = (4.3 if on_time else 2.9) + tendency
        score = min(5, max(1, round(own.gauss(mean, 0.9))))
        at = min(confirmed_at + dt.timedelta(minutes=own.randint(1, 600)), now)
        comment = own.choice(COMMENTS) if own.random() < 0.2 else ""
        ratings.append(
            Satisfaction(report_id=report_id, score=score, comment=comment, created=at, updated=at)
        )
    with transaction.atomic():
        Satisfaction.objects.bulk_create(ratings, batch_size=1000, ignore_conflicts=True)
    stdout.write(f"Demo ratings: {len(ratings)} of {len(seen)} confirmed reports rated.")
