"""Reads of map feedback: a module's page (the latest contributions, hidden ones with their reason, the
reader's own ones awaiting pre-moderation), the sentiment heatmap by H3 cell and the GeoJSON export.
Everything public counts only published contributions (PUBLIC: neither hidden nor awaiting).

The heatmap groups in SQL by the stored resolution-10 cell over an index that holds (module,
hidden, awaiting, cell, sentiment), so 100,000 contributions come back as a few thousand (cell, count,
sum) rows; coarser resolutions are derived from those with core.geo.parents_np, never per
contribution. The encoded answer is cached per module and resolution under a version that every write
to the module's contributions changes (heatmap_changed), and for a minute at most, so a process whose
local cache missed another's change is never stale for long."""

from __future__ import annotations

import json
import uuid

import h3
import numpy as np
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.timezone import localtime

from gorod.consultations.contributions import visible_to
from gorod.consultations.map_feedback.models import MapAgreement, MapContribution
from gorod.core import geo

PAGE_SIZE = 20
RESOLUTIONS = range(6, geo.STORE_RESOLUTION + 1)
DEFAULT_RESOLUTION = 9
HEATMAP_SECONDS = 60  # at most this stale in a process whose local cache missed another's write
# What the heatmap, the counts and the export take: published contributions only.
PUBLIC = Q(hidden=False, awaiting=False)


def latest(module, *, user=None, limit: int = PAGE_SIZE, staff: bool = False) -> list[MapContribution]:
    """The newest contributions, hidden ones included (the page shows the reason in their place), with
    whether this person already agreed: one query whatever the count. Contributions awaiting
    pre-moderation are shown to their author only, or to staff (`staff`, the map's staff page)."""
    rows: QuerySet[MapContribution] = MapContribution.objects.filter(module=module).order_by(
        "-created", "-id"
    )
    if not staff:
        rows = rows.filter(visible_to(user))
    if user is not None and user.is_authenticated:
        rows = rows.annotate(
            agreed=Exists(MapAgreement.objects.filter(contribution=OuterRef("pk"), user=user))
        )
    return list(rows[:limit])


def counts(module) -> dict[str, int]:
    """Visible contributions and how many came on paper; cached like the heatmap (one aggregate over
    100,000 rows is most of a page's time)."""
    key = f"mf:counts:{module.pk}:{_version(module.pk)}"
    found = cache.get(key)
    if found is None:
        row = MapContribution.objects.filter(PUBLIC, module=module).aggregate(
            total=Count("id"), paper=Count("id", filter=Q(paper=True))
        )
        found = {"total": row["total"] or 0, "paper": row["paper"] or 0}
        cache.set(key, found, HEATMAP_SECONDS)
    return found


def parse_resolution(raw) -> int:
    """Unknown values fall back to the default: a stale link still draws a map."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_RESOLUTION
    return value if value in RESOLUTIONS else DEFAULT_RESOLUTION


def _version_key(module_id: int) -> str:
    return f"mf:heat:v:{module_id}"


def _version(module_id: int) -> str:
    version = cache.get(_version_key(module_id))
    if version is None:
        cache.add(_version_key(module_id), uuid.uuid4().hex, None)
        version = cache.get(_version_key(module_id)) or ""
    return version


def heatmap_changed(module_id: int) -> None:
    cache.set(_version_key(module_id), uuid.uuid4().hex, None)


def heatmap_json(module, resolution: int = DEFAULT_RESOLUTION) -> bytes:
    """heatmap() encoded, from the cache when the module's contributions have not changed."""
    key = f"mf:heat:{module.pk}:{resolution}:{_version(module.pk)}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(heatmap(module, resolution), separators=(",", ":")).encode()
        cache.set(key, body, HEATMAP_SECONDS)
    return body


def heatmap(module, resolution: int = DEFAULT_RESOLUTION) -> dict:
    """A GeoJSON FeatureCollection: one hexagon per H3 cell at `resolution` holding visible
    contributions, with their count and mean sentiment (1–5, two decimals)."""
    rows = list(
        MapContribution.objects.filter(PUBLIC, module=module)
        .values_list("cell")
        .annotate(n=Count("id"), total=Sum("sentiment"))
        .order_by()
    )
    if not rows:
        return {"type": "FeatureCollection", "features": []}
    data = np.array(rows, dtype=np.int64)
    cells = geo.parents_np(data[:, 0], resolution) if resolution < geo.STORE_RESOLUTION else data[:, 0]
    unique, inverse = np.unique(cells, return_inverse=True)
    n = np.bincount(inverse, weights=data[:, 1])
    total = np.bincount(inverse, weights=data[:, 2])
    features = []
    for cell, count, sentiment_sum in zip(unique.tolist(), n.tolist(), total.tolist(), strict=True):
        address = h3.int_to_str(cell)
        ring = [[round(lon, 6), round(lat, 6)] for lat, lon in h3.cell_to_boundary(address)]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "cell": address,
                    "count": int(count),
                    "sentiment": round(sentiment_sum / count, 2),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# What the export says of a contribution: place, sentiment, answers, tags, agreements, whether it came on
# paper, and the day. Never who wrote it, who entered it or who agreed.
EXPORT_FIELDS = (
    "id",
    "shape",
    "geometry",
    "sentiment",
    "comment",
    "answers",
    "tags",
    "agree_count",
    "paper",
    "created",
)


def export(module) -> dict:
    rows = MapContribution.objects.filter(PUBLIC, module=module).order_by("id").values_list(*EXPORT_FIELDS)
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": geometry,
            "properties": {
                "shape": shape,
                "sentiment": sentiment,
                "comment": comment,
                "answers": answers,
                "tags": tags,
                "agreements": agree_count,
                "paper": paper,
                "date": localtime(created).date().isoformat(),
            },
        }
        for pk, shape, geometry, sentiment, comment, answers, tags, agree_count, paper, created in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def contribution_of(module, pk: int) -> MapContribution | None:
    return MapContribution.objects.filter(module=module, pk=pk).first()
