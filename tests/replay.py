"""Write again the rows a service wrote once: for fixtures that build the same data in every test.

The city import costs a tenth of a second and most tests start with it; writing its rows back costs a
few milliseconds. What is written is exactly what the service wrote the first time (every model, every
column), except the timestamps, which are "now" again as they would be."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from gorod.core import clock

Rows = dict[type[models.Model], list[models.Model]]
T = TypeVar("T")


def _tables() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def record(write: Callable[[], T]) -> tuple[T, Rows]:
    """Run `write` and return its result with the rows it added, by model."""
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in _tables()}
    result = write()
    rows = {
        model: list(model._base_manager.exclude(pk__in=pks).order_by("pk")) for model, pks in before.items()
    }
    return result, {model: found for model, found in rows.items() if found}


def replay(rows: Rows) -> bool:
    """Insert the recorded rows with their primary keys; False (and nothing written) if one is taken.

    Keys taken by the first run stay taken on PostgreSQL (sequences never go back), so later rows never
    get them; SQLite rolls its counter back with each test, and inserting a row moves it forward again.
    Foreign keys are checked when the test's transaction ends, so the order of the models is free."""
    now, wall = clock.now(), timezone.now()
    try:
        with transaction.atomic():
            for model, found in rows.items():
                for row in found:
                    for field in model._meta.concrete_fields:
                        if field.default is clock.now:
                            setattr(row, field.attname, now)
                        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                            setattr(row, field.attname, wall)
                model._base_manager.bulk_create(found)
    except IntegrityError:
        return False
    return True
