"""Retention: a report's contact details are purged a configurable time after it is closed (the city
file's `retention.contact_months`), by a periodic worker job that is idempotent and counted; the author
sees on the report's page when that will happen."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml
from django.conf import settings

from gorod.city.models import Municipality
from gorod.city.services import CityFileInvalid, city_import_file, parse_city_file
from gorod.core import clock, counters
from gorod.core.models import AuditEntry
from gorod.notifications.models import Delivery
from gorod.privacy import tasks
from gorod.reports.models import Report
from gorod.reports.services import report_create, report_transition
from tests.conftest import DATA, SPRING_DAY
from tests.helpers import fan_out

pytestmark = pytest.mark.django_db
GOOD = yaml.safe_load((DATA / "test_city.yaml").read_text())
PURGED = "retention.contacts_purged"


def _closed(file_report, at: dt.datetime, **fields) -> Report:
    with clock.frozen(at):
        report = file_report(**fields)
        report = report_transition(report=report, action="reject", public_note="Не в ведении города")
    return report


def test_the_city_file_sets_the_months_and_twelve_is_the_default(city, tmp_path):
    assert city.contact_retention_months == 12
    data = copy.deepcopy(GOOD)
    data["retention"] = {"contact_months": 6}
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert city_import_file(path).contact_retention_months == 6


@pytest.mark.parametrize("months", [0, -1, 121, "a year"])
def test_a_bad_retention_is_refused_naming_the_field(months):
    data = copy.deepcopy(GOOD)
    data["retention"] = {"contact_months": months}
    with pytest.raises(CityFileInvalid, match=r"retention\.contact_months"):
        parse_city_file(yaml.safe_dump(data, allow_unicode=True))


def test_contacts_go_a_year_after_closing_once_and_counted(city, file_report):
    old = _closed(file_report, SPRING_DAY - dt.timedelta(days=370), contact_phone="+7 900 000-00-00")
    recent = _closed(file_report, SPRING_DAY - dt.timedelta(days=300))
    with clock.frozen(SPRING_DAY - dt.timedelta(days=400)):
        still_open = file_report()
    with clock.frozen(SPRING_DAY - dt.timedelta(days=370)):
        fan_out()
    assert Delivery.objects.filter(report=old, kind="author").exists()
    before = counters.value(PURGED)

    with clock.frozen(SPRING_DAY):
        assert tasks.purge_expired_contacts.call() == 1
        assert tasks.purge_expired_contacts.call() == 0  # idempotent
    old.refresh_from_db()
    assert (old.contact_name, old.contact_email, old.contact_phone, old.email_hash) == ("", "", "", "")
    assert old.status == "rejected" and old.description  # the report itself stays
    assert not Delivery.objects.filter(report=old, kind="author").exists()
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.contact_email == "ivan@example.org"
    assert counters.value(PURGED) == before + 1
    entry = AuditEntry.objects.get(action="retention.purge")
    assert entry.detail == {"reports": 1} and entry.actor_id is None


def test_each_city_keeps_contacts_for_its_own_months(city, file_report):
    Municipality.objects.filter(pk=city.pk).update(contact_retention_months=1)
    report = _closed(file_report, SPRING_DAY - dt.timedelta(days=40))
    with clock.frozen(SPRING_DAY):
        assert tasks.purge_expired_contacts.call() == 1
    report.refresh_from_db()
    assert report.contact_email == ""


def test_the_job_is_on_the_workers_timetable():
    assert ("gorod.privacy.tasks.purge_expired_contacts", 86400) in settings.GOROD_PERIODIC_JOBS


def test_the_author_sees_when_the_contacts_will_be_deleted(client, city, new_report, citizen):
    with clock.frozen(SPRING_DAY):
        report = report_create(municipality=city, data=new_report(contact_email=""), author=citizen)
        client.force_login(citizen)
        html = client.get(f"/reports/{report.pk}/").content.decode()
        assert "kept until 12 months after it is closed" in html
        report_transition(report=report, action="reject", public_note="Не в ведении города")
        html = client.get(f"/reports/{report.pk}/").content.decode()
        assert "will be deleted on 13 May 2027" in html
        client.logout()
        assert "will be deleted" not in client.get(f"/reports/{report.pk}/").content.decode()
