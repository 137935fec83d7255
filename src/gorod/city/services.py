"""Writes to the city configuration. `city_import` loads a whole city file: all of it or none of it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import ValidationError as PydanticError

from gorod.city import selectors
from gorod.city.districts import invalidate_districts
from gorod.city.models import (
    Attribute,
    CalendarDay,
    Category,
    Department,
    District,
    Municipality,
    ObjectType,
    Place,
    RejectionReason,
    ResponseTemplate,
    RoutingRule,
)
from gorod.city.schema import CityFile


class CityFileInvalid(ValueError):
    """The file was refused; the message names each bad field and where it is."""


def _where(loc: tuple, data: dict) -> str:
    """`categories[3] (service_code "yard-litter").deadline_days` from a pydantic error location."""
    parts: list[str] = []
    node: object = data
    for step in loc:
        if isinstance(step, int):
            label = ""
            if isinstance(node, list) and step < len(node) and isinstance(node[step], dict):
                item = node[step]
                for key in ("service_code", "slug", "code", "key", "name", "title"):
                    if isinstance(item.get(key), str):
                        label = f' ({key} "{item[key]}")'
                        break
            parts[-1] += f"[{step}]{label}"
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "(file)"


def parse_city_file(text: str, *, filename: str = "") -> CityFile:
    try:
        data = json.loads(text) if filename.endswith(".json") else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise CityFileInvalid(f"{filename or 'file'}: not valid YAML/JSON: {exc}") from None
    except ValueError as exc:  # YAML reads 2026-02-30 as a date and fails while building it
        raise CityFileInvalid(f"{filename or 'file'}: impossible value: {exc}") from None
    if not isinstance(data, dict):
        raise CityFileInvalid(
            f"{filename or 'file'}: the top level must be a mapping with 'municipality' etc."
        )
    try:
        city = CityFile.model_validate(data)
    except PydanticError as exc:
        lines = [f"{_where(tuple(e['loc']), data)}: {e['msg']}" for e in exc.errors()]
        raise CityFileInvalid("\n".join(lines)) from None
    _check_references(city)
    return city


def _check_references(city: CityFile) -> None:
    problems: list[str] = []

    def unique(kind: str, keys: list[str]) -> set[str]:
        seen: set[str] = set()
        for i, key in enumerate(keys):
            if key in seen:
                problems.append(f'{kind}[{i}]: "{key}" appears twice')
            seen.add(key)
        return seen

    districts = unique("districts", [d.slug for d in city.districts])
    departments = unique("departments", [d.slug for d in city.departments])
    object_types = unique("object_types", [o.slug for o in city.object_types])
    codes = unique("categories", [c.service_code for c in city.categories])
    for i, c in enumerate(city.categories):
        where = f'categories[{i}] (service_code "{c.service_code}")'
        if c.object_type not in object_types:
            problems.append(f'{where}.object_type: no object type "{c.object_type}"')
        if c.department is not None and c.department not in departments:
            problems.append(f'{where}.department: no department "{c.department}"')
        unique(f"{where}.attributes", [a.code for a in c.attributes])
    for i, r in enumerate(city.routing):
        where = f"routing[{i}]"
        if r.category not in codes:
            problems.append(f'{where}.category: no category "{r.category}"')
        if r.district not in districts:
            problems.append(f'{where}.district: no district "{r.district}"')
        if r.department not in departments:
            problems.append(f'{where}.department: no department "{r.department}"')
    unique("routing", [f"{r.category}/{r.district}" for r in city.routing])
    unique("rejection_reasons", [r.code for r in city.rejection_reasons])
    for i, t in enumerate(city.response_templates):
        if t.category is not None and t.category not in codes:
            problems.append(
                f'response_templates[{i}] (title "{t.title}").category: no category "{t.category}"'
            )
    both = set(city.calendar.holidays) & set(city.calendar.workdays)
    if both:
        problems.append(f"calendar: {sorted(both)[0]} is both a holiday and a working day")
    if problems:
        raise CityFileInvalid("\n".join(problems))


def city_import_file(path: str | Path) -> Municipality:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CityFileInvalid(f"{path}: cannot read: {exc}") from None
    return city_import(parse_city_file(text, filename=path.name))


@transaction.atomic
def city_import(city: CityFile) -> Municipality:
    """Create or update the municipality and everything under it, matched by slug/service code.

    Routing rules and calendar days are replaced by the file's. Things the file no longer lists are
    kept (reports point at them) but categories not in the file are deactivated."""
    m = city.municipality
    taken = Municipality.objects.filter(jurisdiction_id=m.jurisdiction_id).exclude(slug=m.slug).first()
    if taken is not None:
        raise CityFileInvalid(
            f'municipality.jurisdiction_id: "{m.jurisdiction_id}" already belongs to "{taken.slug}"'
        )
    muni, _ = Municipality.objects.update_or_create(
        slug=m.slug,
        defaults=dict(
            name=m.name,
            name_en=m.name_en,
            jurisdiction_id=m.jurisdiction_id,
            timezone=m.timezone,
            center_lat=m.center[0],
            center_lon=m.center[1],
            default_zoom=m.zoom,
            hide_anonymous_until_moderated=m.hide_anonymous_until_moderated,
        ),
    )
    districts = {
        d.slug: _upsert(
            District,
            muni,
            {"slug": d.slug},
            name=d.name,
            name_en=d.name_en,
            population=d.population,
            boundary=d.boundary,
        )
        for d in city.districts
    }
    departments = {
        d.slug: _upsert(Department, muni, {"slug": d.slug}, name=d.name, name_en=d.name_en, email=d.email)
        for d in city.departments
    }
    object_types = {
        o.slug: _upsert(ObjectType, muni, {"slug": o.slug}, name=o.name, name_en=o.name_en, order=i)
        for i, o in enumerate(city.object_types)
    }
    RoutingRule.objects.filter(municipality=muni).delete()
    for i, c in enumerate(city.categories):
        category = _upsert(
            Category,
            muni,
            {"service_code": c.service_code},
            object_type=object_types[c.object_type],
            name=c.name,
            name_en=c.name_en,
            description=c.description,
            description_en=c.description_en,
            keywords=c.keywords,
            moderation_days=c.moderation_days,
            deadline_days=c.deadline_days,
            season_start=c.season.start if c.season else "",
            season_end=c.season.end if c.season else "",
            photo_proof_required=c.photo_proof_required,
            anonymous_allowed=c.anonymous_allowed,
            answer_moderation=c.answer_moderation,
            active=c.active,
            order=i,
        )
        category.attributes.exclude(code__in=[a.code for a in c.attributes]).delete()
        for j, a in enumerate(c.attributes):
            attr, _ = Attribute.objects.update_or_create(
                category=category,
                code=a.code,
                defaults=dict(
                    datatype=a.datatype,
                    required=a.required,
                    variable=a.variable,
                    description=a.description,
                    description_en=a.description_en,
                    datatype_description=a.datatype_description,
                    order=j,
                    values=[v.model_dump() for v in a.values],
                ),
            )
            attr.full_clean()
        if c.department:
            RoutingRule.objects.create(
                municipality=muni, category=category, department=departments[c.department]
            )
    Category.objects.filter(municipality=muni).exclude(
        service_code__in=[c.service_code for c in city.categories]
    ).update(active=False)
    codes = {c.service_code: c for c in Category.objects.filter(municipality=muni)}
    for r in city.routing:
        RoutingRule.objects.create(
            municipality=muni,
            category=codes[r.category],
            district=districts[r.district],
            department=departments[r.department],
        )
    CalendarDay.objects.filter(municipality=muni).delete()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(municipality=muni, date=d, kind=CalendarDay.Kind.HOLIDAY)
            for d in city.calendar.holidays
        ]
        + [
            CalendarDay(municipality=muni, date=d, kind=CalendarDay.Kind.WORKDAY)
            for d in city.calendar.workdays
        ]
    )
    Place.objects.filter(municipality=muni).delete()
    Place.objects.bulk_create(
        [Place(municipality=muni, name=p.name, name_en=p.name_en, lat=p.lat, lon=p.lon) for p in city.places]
    )
    # Reasons are matched by code (a re-import renames them in place); rejected reports keep the text
    # they were given, so reasons the file no longer lists can simply go.
    RejectionReason.objects.filter(municipality=muni).exclude(
        code__in=[r.code for r in city.rejection_reasons]
    ).delete()
    for i, reason in enumerate(city.rejection_reasons):
        _upsert(
            RejectionReason, muni, {"code": reason.code}, name=reason.name, name_en=reason.name_en, order=i
        )
    # Templates have no key of their own: the file's list replaces the city's.
    ResponseTemplate.objects.filter(municipality=muni).delete()
    for t in city.response_templates:
        template = ResponseTemplate(
            municipality=muni,
            category=codes[t.category] if t.category else None,
            action=t.action,
            title=t.title,
            text=t.text,
            text_en=t.text_en,
        )
        template.full_clean()
        template.save()
    transaction.on_commit(_forget_caches)
    return muni


def _forget_caches() -> None:
    invalidate_districts()
    selectors.invalidate_caches()


def _upsert(model, muni: Municipality, key: dict, **fields):
    obj, _ = model.objects.update_or_create(municipality=muni, **key, defaults=fields)
    try:
        obj.full_clean()
    except ValidationError as exc:
        # Raising inside the atomic block rolls back everything imported so far.
        where = ", ".join(f'{k} "{v}"' for k, v in key.items())
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        raise CityFileInvalid(f"{model._meta.verbose_name} ({where}): {details}") from None
    return obj
