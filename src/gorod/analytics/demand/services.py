"""The only writes of demand besides the counters: the month's PDF, rendered and kept by the worker."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from gorod.analytics.demand import selectors
from gorod.analytics.demand.models import DemandReport
from gorod.analytics.demand.pdf import render_pdf
from gorod.city.models import Municipality
from gorod.core import clock


@transaction.atomic
def demand_report_store(*, municipality: Municipality, month: dt.date) -> DemandReport:
    """Render the month's report in the site's default language and keep it (replacing an older one)."""
    if month.day != 1:
        raise ValueError("a month is given by its first day")
    figures = selectors.demand_figures(municipality, month)
    pdf = render_pdf(figures, settings.LANGUAGE_CODE)
    report = DemandReport.objects.filter(municipality=municipality, month=month).first()
    if report is None:
        report = DemandReport(municipality=municipality, month=month)
    report.pdf = pdf
    report.updated = clock.now()
    report.full_clean()
    report.save()
    return report


def store_due_reports() -> int:
    """Every municipality's report of the month just ended, once (the worker's hourly job: idempotent)."""
    made = 0
    for municipality in Municipality.objects.order_by("pk"):
        last_month = selectors.previous_month(selectors.current_month(municipality))
        if not DemandReport.objects.filter(municipality=municipality, month=last_month).exists():
            demand_report_store(municipality=municipality, month=last_month)
            made += 1
    return made
