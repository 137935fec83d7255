"""Write spb.yaml, the demo city file, from geography.py and classifier.py.

    uv run python -m gorod.demo.city.build_spb          # rewrites src/gorod/demo/city/spb.yaml
    uv run python -m gorod.demo.city.build_spb --check  # fails if spb.yaml is out of date

District polygons: a Voronoi partition of every district's hubs (its centre and, for the suburbs, its
towns), computed in a local equal-scale projection (longitude shrunk by cos 60°, so a degree of latitude
and a degree of longitude are the same distance), clipped to the city outline, merged per district and
rounded to 1e-5° (about a metre). Neighbours share the same vertices, so the polygons do not overlap and
together cover the outline. The result is deterministic: the same data gives the same file.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import shapely
import yaml
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.ops import unary_union

from gorod.demo.city import SPB_FILE
from gorod.demo.city.classifier import CATEGORIES, DEPARTMENTS, HOLIDAYS, HOUSING, OBJECT_TYPES, WORKDAYS
from gorod.demo.city.geography import DISTRICTS, KOTLIN, OUTLINE, PLACES

LAT0 = 59.93
KX = math.cos(math.radians(LAT0))
GRID = 1e-5

# Back-office configuration of the demo (docs/city-config.md): a moderator's reasons for rejecting,
# ready answers for departments, and categories whose answers a moderator checks before publication.
REJECTION_REASONS = (
    ("no-place", "Не удалось определить место", "We could not find the place"),
    ("photo-mismatch", "Фотография не соответствует описанию", "The photo does not match the description"),
    ("not-classifier", "Вопрос не относится к порталу", "This is outside the portal's classifier"),
    ("not-city", "Территория не относится к городской собственности", "The site is not city property"),
    ("abusive", "Сообщение содержит некорректные высказывания", "The message contains abusive language"),
    ("already-planned", "Работы уже запланированы", "The work is already planned"),
)
ANSWER_MODERATION = frozenset({"yard-litter", "entrance-dirty", "yard-playground", "facade-graffiti"})
RESPONSE_TEMPLATES = (
    {
        "action": "start",
        "title": "Работы начаты",
        "text": "Работы по сообщению №{id} («{category}») начаты. Срок — {deadline}. {department}.",
        "text_en": "Work on report #{id} ({category}) has started; due by {deadline}. {department}.",
    },
    {
        "action": "resolve",
        "title": "Выполнено",
        "text": "Проблема по адресу {address} устранена. {department}.",
        "text_en": "The problem at {address} has been fixed. {department}.",
    },
    {
        "action": "resolve",
        "title": "Яма заделана",
        "category": "yard-pothole",
        "text": "Яма по адресу {address} заделана асфальтобетоном, фото прилагается. {department}.",
        "text_en": "The pothole at {address} has been filled with asphalt; photo attached. {department}.",
    },
    {
        "action": "resolve",
        "title": "Мусор вывезен",
        "category": "yard-litter",
        "text": "Мусор по адресу {address} вывезен, территория убрана. {department}.",
        "text_en": "The litter at {address} has been removed and the area cleaned. {department}.",
    },
    {
        "action": "transfer",
        "title": "Не наша зона ответственности",
        "text": "Объект по адресу {address} не в ведении: {department}. Сообщение передано.",
        "text_en": "The site at {address} is not maintained by {department}; the report is passed on.",
    },
    {
        "action": "reopen",
        "title": "Повторная проверка",
        "text": "Сообщение №{id} возвращено в работу для повторной проверки на месте.",
        "text_en": "Report #{id} is back in work for another check on site.",
    },
)


def _to_plane(lon: float, lat: float) -> tuple[float, float]:
    return (lon * KX, lat)


def _unproject(coords):
    coords = coords.copy()
    coords[:, 0] = coords[:, 0] / KX
    return coords


def district_polygons() -> dict[str, Polygon]:
    """slug → polygon (lon/lat). Raises AssertionError if a hub would land outside its own district."""
    outline = unary_union([Polygon([_to_plane(lon, lat) for lon, lat in ring]) for ring in (OUTLINE, KOTLIN)])
    seeds = [(d.slug, _to_plane(lon, lat)) for d in DISTRICTS for lat, lon, _ in d.hubs]
    cells = shapely.voronoi_polygons(
        MultiPoint([p for _, p in seeds]), extend_to=outline.buffer(1.0), ordered=True
    )
    parts: dict[str, list] = {}
    for (slug, _), cell in zip(seeds, cells.geoms, strict=True):
        parts.setdefault(slug, []).append(cell.intersection(outline))
    result = {}
    for d in DISTRICTS:
        merged = shapely.transform(unary_union(parts[d.slug]), _unproject)
        merged = shapely.set_precision(merged, GRID)
        assert merged.is_valid and not merged.is_empty, d.slug
        result[d.slug] = merged
    for d in DISTRICTS:
        for lat, lon, _ in d.hubs:
            assert result[d.slug].contains(Point(lon, lat)), f"hub {lat},{lon} outside {d.slug}"
    slugs = list(result)
    for i, a in enumerate(slugs):
        for b in slugs[i + 1 :]:
            overlap = result[a].intersection(result[b]).area
            assert overlap < 1e-9, f"{a} and {b} overlap by {overlap}"
    return result


def _geojson(geom) -> dict:
    data = mapping(geom)
    return {"type": data["type"], "coordinates": _lists(data["coordinates"])}


def _lists(value):
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], float):
            return [round(v, 5) for v in value]
        return [_lists(v) for v in value]
    return value


def city_data() -> dict:
    polygons = district_polygons()
    departments = [
        {"slug": d.slug, "name": d.name, "name_en": d.name_en, "email": f"{d.slug}@example.org"}
        for d in DEPARTMENTS
    ]
    departments += [
        {
            "slug": f"zha-{d.slug}",
            "name": f"Жилищное агентство {d.genitive} района",
            "name_en": f"Housing Agency of {d.name_en} District",
            "email": f"zha-{d.slug}@example.org",
        }
        for d in DISTRICTS
    ]
    categories, routing = [], []
    for c in CATEGORIES:
        item: dict = {
            "service_code": c.code,
            "object_type": c.object_type,
            "name": c.name,
            "name_en": c.name_en,
            "description": c.description,
            "description_en": c.description_en,
            "moderation_days": c.moderation,
            "deadline_days": c.deadline,
        }
        if c.season:
            item["season"] = {"start": c.season[0], "end": c.season[1]}
        if c.photo:
            item["photo_proof_required"] = True
        if c.anonymous:
            item["anonymous_allowed"] = True
        if c.code in ANSWER_MODERATION:
            item["answer_moderation"] = True
        if c.department == HOUSING:
            # A city-wide fallback, and each district's own housing agency by a district rule.
            item["department"] = "zhilkom"
            routing += [
                {"category": c.code, "district": d.slug, "department": f"zha-{d.slug}"} for d in DISTRICTS
            ]
        else:
            item["department"] = c.department
        if c.attributes:
            item["attributes"] = c.attributes
        categories.append(item)
    return {
        "municipality": {
            "slug": "spb",
            "name": "Санкт-Петербург",
            "name_en": "Saint Petersburg",
            "jurisdiction_id": "spb.gorod.local",
            "timezone": "Europe/Moscow",
            "center": [59.9386, 30.3141],
            "zoom": 11,
            "address_example": "Невский проспект, 28",
            "address_example_en": "Nevsky Prospect, 28",
            "budgeting_name": "Твой бюджет",
            "budgeting_name_en": "Your Budget",
        },
        "districts": [
            {
                "slug": d.slug,
                "name": d.name,
                "name_en": d.name_en,
                "population": d.population,
                "boundary": _geojson(polygons[d.slug]),
            }
            for d in DISTRICTS
        ],
        "departments": departments,
        "object_types": [{"slug": s, "name": n, "name_en": e} for s, n, e in OBJECT_TYPES],
        "categories": categories,
        "routing": routing,
        "calendar": {"holidays": sorted(HOLIDAYS), "workdays": sorted(WORKDAYS)},
        "places": [{"name": p.name, "name_en": p.name_en, "lat": p.lat, "lon": p.lon} for p in PLACES],
        "rejection_reasons": [{"code": c, "name": n, "name_en": e} for c, n, e in REJECTION_REASONS],
        "response_templates": list(RESPONSE_TEMPLATES),
    }


class _Dumper(yaml.SafeDumper):
    """Block style for the structure, flow style for small leaves (coordinates, one-line records)."""


def _represent_list(dumper, data):
    flow = all(isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in data) and len(data) <= 12
    flow = flow or (bool(data) and all(isinstance(v, list) for v in data))  # coordinate rings
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper, data):
    flat = all(not isinstance(v, (dict, list)) for v in data.values()) and len(data) <= 5
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flat)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)

HEADER = """\
# «Санкт-Петербург» — the demo city of Gorod, in the city file format of docs/city-config.md.
# GENERATED by src/gorod/demo/city/build_spb.py from geography.py and classifier.py: edit those and
# run `uv run python -m gorod.demo.city.build_spb`. District boundaries are approximate (a Voronoi
# partition of the districts' real centres and towns), not the legal borders.
"""


def render() -> str:
    body = yaml.dump(city_data(), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    parser.add_argument("--out", type=Path, default=SPB_FILE)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if args.out.read_text(encoding="utf-8") != text:
            print(f"{args.out} is out of date; run python -m gorod.demo.city.build_spb", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
