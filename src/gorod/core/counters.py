"""Running totals in the database (core.models.Counter) for work the worker does in the background, so
the metrics endpoint can show them whichever process did the work."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from gorod.core import clock
from gorod.core.models import Counter


def add(name: str, amount: int) -> None:
    """Add to a counter in the caller's transaction, creating it at zero first if needed."""
    if not amount:
        return
    with transaction.atomic():
        if Counter.objects.filter(name=name).update(value=F("value") + amount, updated=clock.now()):
            return
        try:
            with transaction.atomic():
                Counter.objects.create(name=name, value=amount, updated=clock.now())
                return
        except IntegrityError:
            pass  # created meanwhile by another worker
        Counter.objects.filter(name=name).update(value=F("value") + amount, updated=clock.now())


def value(name: str) -> int:
    return Counter.objects.filter(name=name).values_list("value", flat=True).first() or 0
