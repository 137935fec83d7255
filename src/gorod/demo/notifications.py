"""Demo content: area alerts for the demo citizen (an immediate district alert and a daily radius digest
around the city centre), so that filing a report in the demo shows an alert mail in the worker's console."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from gorod.city.models import District
from gorod.notifications.models import AreaAlert

DEMO_CITIZEN = "citizen"


@transaction.atomic
def seed(*, municipality, seed: int, anchor: dt.date, stdout) -> None:
    """Idempotent: running it again leaves the same two alerts."""
    user = get_user_model().objects.filter(username=DEMO_CITIZEN).first()
    if user is None:
        stdout.write("notifications: no demo citizen account; no area alerts added.")
        return
    district = District.objects.filter(municipality=municipality).order_by("slug").first()
    added = 0
    if district is not None:
        _, created = AreaAlert.objects.get_or_create(
            user=user,
            municipality=municipality,
            district=district,
            frequency=AreaAlert.Frequency.IMMEDIATE,
            defaults={"language": "ru"},
        )
        added += created
    _, created = AreaAlert.objects.get_or_create(
        user=user,
        municipality=municipality,
        district=None,
        lat=municipality.center_lat,
        lon=municipality.center_lon,
        radius_m=1000,
        frequency=AreaAlert.Frequency.DAILY,
        defaults={"language": "ru"},
    )
    added += created
    stdout.write(f"notifications: {added} area alerts added for the demo citizen.")
