"""Open data from the demo city (`seed_demo`): real figures in every dataset, and none of the contact
details the demo's reports carry."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from gorod.analytics.opendata.generate import generate_all
from gorod.core import clock
from gorod.reports.models import Report

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 13, 15, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def test_demo_city_open_data_has_figures_and_no_contacts(settings):
    with clock.frozen(NOW):
        call_command(
            "seed_demo", "--reports", "300", "--anchor", "2026-05-13", "--no-progress", stdout=io.StringIO()
        )
        generate_all()
    folder = settings.GOROD_OPEN_DATA_DIR / "spb"
    manifest = json.loads((folder / "manifest.json").read_text())
    rows = {name: entry["rows"] for name, entry in manifest["files"].items()}
    assert rows["reports.csv"] > 100 and rows["reports.geojson"] == rows["reports.csv"]
    assert rows["performance.csv"] > 0
    # The demo's consultations: projects, map feedback and survey counts.
    assert rows["consultations-projects.csv"] > 0 and rows["consultations-map-feedback.geojson"] > 0
    assert rows["consultations-surveys.csv"] > 0
    everything = "\n".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    contacts = set()
    for name, email, phone in Report.objects.values_list("contact_name", "contact_email", "contact_phone"):
        contacts |= {v for v in (name, email, phone) if v and len(v) > 3}
    assert contacts, "the demo's reports carry contacts"
    leaked = [c for c in contacts if c in everything]
    assert not leaked
