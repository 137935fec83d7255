"""The demo staff's fresh work gives each demo role something to do, once."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from gorod.city.services import city_import_file
from gorod.demo.accounts import demo_accounts_ensure
from gorod.demo.city import SPB_FILE
from gorod.demo.reports import staff_work as demo
from gorod.reports.models import Report, ReportEvent

pytestmark = pytest.mark.django_db


def test_demo_staff_get_work_once(frozen_spring):
    city = city_import_file(SPB_FILE)
    users = demo_accounts_ensure(city)
    out = io.StringIO()
    demo.seed(municipality=city, seed=1, anchor=dt.date(2026, 5, 13), stdout=out)
    demo.seed(municipality=city, seed=1, anchor=dt.date(2026, 5, 13), stdout=out)
    reports = Report.objects.filter(municipality=city)
    assert reports.count() == len(demo.WORK)
    assert reports.filter(status="submitted").count() == 2  # the moderator's queue
    assert ReportEvent.objects.filter(note_state="pending").count() == 1  # an answer to check
    ours = reports.filter(department=users["executor"].department)
    assert ours.filter(status__in=("accepted", "in_progress")).count() >= 3  # the department's queue
    assert reports.filter(assignee=users["executor"]).count() == 1
