"""The personal data of apps privacy may not import (its siblings in the layers), reached through the
modules named in settings.GOROD_PERSONAL_DATA; gorod.info.personal_data describes the interface."""

from __future__ import annotations

from importlib import import_module
from typing import Any


def _modules() -> list[Any]:
    from django.conf import settings

    return [import_module(path) for path in settings.GOROD_PERSONAL_DATA]


def export(user) -> dict[str, Any]:
    """Every part's entries of the person's export, merged (each part names its own keys)."""
    merged: dict[str, Any] = {}
    for module in _modules():
        merged.update(module.export(user))
    return merged


def erase(user) -> dict[str, int]:
    """Erase every part's data of the person, in the caller's transaction; counts for the audit trail."""
    counts: dict[str, int] = {}
    for module in _modules():
        counts.update(module.erase(user))
    return counts
