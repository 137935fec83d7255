"""Demo usage counters (a `seed_demo` extra): every day from the first of the month before last to the
anchor day, so last month's demand report has figures and a month to compare with, and its PDF is kept
as the worker would keep it. The numbers are a function of the seed and the day alone."""

from __future__ import annotations

import datetime as dt
import random
import zlib

from gorod.analytics.demand import selectors
from gorod.analytics.demand.models import DemandCounter, DemandReport
from gorod.analytics.demand.services import demand_report_store
from gorod.city.models import Municipality

# Share of the day's visitors who open each service (a visitor may open several).
SERVICES = {
    "reports_map": 0.46, "report_form": 0.22, "report_page": 0.34, "budgeting": 0.09, "news": 0.12,
    "help": 0.05, "stats": 0.03, "open_data": 0.01, "account": 0.08,
}  # fmt: skip
DEVICES = {"phone": 0.63, "tablet": 0.05, "desktop": 0.32}
ENGLISH = 0.06
# What people looked for and did not find, with how many a day search for it on a typical day.
TERMS = {
    "news": {"отключение горячей воды": 6, "вывоз ёлок": 3, "ремонт набережной": 4, "hot water": 3},
    "help": {"парковка во дворе": 4, "борщевик": 3, "шум ночью": 5},
}


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    if DemandCounter.objects.filter(municipality=municipality).exists():
        return
    first = selectors.previous_month(selectors.previous_month(anchor.replace(day=1)))
    rows: list[DemandCounter] = []
    day = first
    while day <= anchor:
        rows += _day(municipality, seed, day, first)
        day += dt.timedelta(days=1)
    DemandCounter.objects.bulk_create(rows, batch_size=2000)
    last_month = selectors.previous_month(anchor.replace(day=1))
    if not DemandReport.objects.filter(municipality=municipality, month=last_month).exists():
        demand_report_store(municipality=municipality, month=last_month)
    stdout.write(f"  demand counters: {len(rows)} rows over {(anchor - first).days + 1} days")


def _day(municipality: Municipality, seed: int, day: dt.date, first: dt.date) -> list[DemandCounter]:
    own = random.Random(zlib.crc32(f"{seed}:{municipality.slug}:demand:{day}".encode()))
    growth = 1 + 0.002 * (day - first).days  # the service is slowly discovered
    weekend = 0.7 if day.weekday() >= 5 else 1.0
    visitors = int(2400 * growth * weekend * own.uniform(0.85, 1.15))
    counts: dict[tuple[str, str], int] = {}
    for key, share in DEVICES.items():
        counts["device", key] = round(visitors * share * own.uniform(0.9, 1.1))
    total = sum(v for (kind, _), v in counts.items() if kind == "device")
    counts["language", "en"] = round(total * ENGLISH * own.uniform(0.8, 1.2))
    counts["language", "ru"] = total - counts["language", "en"]
    for key, share in SERVICES.items():
        counts["visit", key] = round(visitors * share * own.uniform(0.85, 1.15))
    counts["visit", "backoffice"] = 0 if weekend < 1 else own.randint(40, 70)
    opened = counts["visit", "report_form"]
    sent = round(opened * own.uniform(0.5, 0.6))
    counts["funnel", "report:opened"] = opened
    counts["funnel", "report:sent"] = sent
    counts["funnel", "report:filed"] = round(sent * own.uniform(0.8, 0.9))
    ballots = round(counts["visit", "budgeting"] * own.uniform(0.2, 0.3))
    counts["funnel", "ballot:opened"] = ballots
    counts["funnel", "ballot:sent"] = round(ballots * own.uniform(0.7, 0.8))
    counts["funnel", "ballot:cast"] = round(counts["funnel", "ballot:sent"] * own.uniform(0.85, 0.95))
    for scope, terms in TERMS.items():
        counts["search_empty", scope] = own.randint(8, 20)
        for term, usual in terms.items():
            people = round(usual * own.uniform(0.3, 1.7))
            if people >= 3:  # below three people a day the text is never kept (demand.catalog)
                counts["search_term", f"{scope}:{term}"] = people
    return [
        DemandCounter(municipality=municipality, day=day, kind=kind, key=key, value=value)
        for (kind, key), value in counts.items()
        if value > 0
    ]
