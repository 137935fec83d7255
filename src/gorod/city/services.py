"""Writes to the city configuration. `city_import` loads a whole city file: all of it or none of it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from gorod.city import generation, selectors
from gorod.city.cityfile import messages
from gorod.city.cityfile.parse import parse_city_file
from gorod.city.cityfile.problems import CityFileInvalid
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
    SiteHost,
)
from gorod.city.schema import CityFile

__all__ = ["CityFileInvalid", "city_import", "city_import_file", "parse_city_file", "read_city_file"]


def read_city_file(path: str | Path) -> CityFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CityFileInvalid([f"{path}: " + messages.text("unreadable", reason=exc)]) from None
    return parse_city_file(text, filename=path.name, folder=path.parent)


def city_import_file(path: str | Path) -> Municipality:
    return city_import(read_city_file(path))


@transaction.atomic
def city_import(city: CityFile) -> Municipality:
    """Create or update the municipality and everything under it, matched by slug/service code.

    Routing rules and calendar days are replaced by the file's. Things the file no longer lists are
    kept (reports point at them) but categories not in the file are deactivated."""
    m = city.municipality
    taken = Municipality.objects.filter(jurisdiction_id=m.jurisdiction_id).exclude(slug=m.slug).first()
    if taken is not None:
        raise city.refusal(
            ("municipality", "jurisdiction_id"),
            "jurisdiction_taken",
            value=m.jurisdiction_id,
            other=taken.slug,
        )
    hosts = m.site.hosts if m.site else []
    for i, host in enumerate(hosts):
        owner = SiteHost.objects.filter(host=host).exclude(municipality__slug=m.slug).first()
        if owner is not None:
            raise city.refusal(
                ("municipality", "site", "hosts", i), "host_taken", value=host, other=owner.municipality.slug
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
            contact_retention_months=city.retention.contact_months,
            site_url=m.site.url if m.site else "",
            address_example=m.address_example,
            address_example_en=m.address_example_en,
            budgeting_name=m.budgeting_name,
            budgeting_name_en=m.budgeting_name_en,
            hide_anonymous_until_moderated=m.hide_anonymous_until_moderated,
            brand_primary=m.brand.primary,
            brand_accent=m.brand.accent,
            is_sandbox=m.sandbox,
        ),
    )
    _store_logo(muni, city.logo_png)
    SiteHost.objects.filter(municipality=muni).exclude(host__in=hosts).delete()
    for host in hosts:
        SiteHost.objects.get_or_create(municipality=muni, host=host)
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
    transaction.on_commit(lambda: _forget_caches(muni.pk))
    return muni


def _store_logo(muni: Municipality, png: bytes | None) -> None:
    """Named by its content, so a changed logo gets a new address and browsers never show a stale one
    from their cache; the same logo imported again keeps its file."""
    if png is None:
        if muni.logo:
            muni.logo = ""
            muni.save(update_fields=["logo"])
        return
    name = f"brand/{muni.slug}-{hashlib.sha256(png).hexdigest()[:12]}.png"
    if muni.logo.name == name and muni.logo.storage.exists(name):
        return
    # The old file stays: a page rendered a moment ago may still ask for it (a few KB per import).
    muni.logo.save(name.removeprefix("brand/"), ContentFile(png), save=True)


def _forget_caches(municipality_id: int) -> None:
    invalidate_districts()
    selectors.invalidate_caches()
    selectors.config_changed(municipality_id)  # cached answers built from the old file (services.json)
    generation.bump()  # and every other process's caches of the city configuration (city.generation)


def _upsert(model, muni: Municipality, key: dict, **fields):
    obj, _ = model.objects.update_or_create(municipality=muni, **key, defaults=fields)
    try:
        obj.full_clean()
    except ValidationError as exc:
        # Raising inside the atomic block rolls back everything imported so far.
        where = ", ".join(f'{k} "{v}"' for k, v in key.items())
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        message = messages.text(
            "refused_by_model", model=model._meta.verbose_name, key=where, details=details
        )
        raise CityFileInvalid([message]) from None
    return obj
