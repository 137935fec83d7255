"""All writes of news, planned works and area subscriptions: keyword-only, in one transaction each,
full_clean before save. Mails go through the outbox (core.mail.enqueue_email) in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gorod.city.models import District, Municipality
from gorod.core import audit, clock, crypto
from gorod.core.images import PhotoRejected, clean_photo
from gorod.info.news import geometry
from gorod.info.news import rules as _rules  # noqa: F401  (registers info.edit_news)
from gorod.info.news.models import AreaSubscription, NewsItem, NewsPhoto, NewsTag, PlannedWork

MAX_TAGS = 8
MAX_PHOTOS = 6
MIN_RADIUS_M, MAX_RADIUS_M = 50, 5000
UNSUBSCRIBE_SALT = "gorod.info.news.unsubscribe"


def _may_write(actor) -> None:
    if actor is None or not actor.has_perm("info.edit_news"):
        raise PermissionDenied(_("Only city staff may write news and planned works."))


def _audit(action: str, actor, row: NewsItem | PlannedWork) -> None:
    # Ids only: the texts are public anyway once published, and the trail keeps no content.
    audit.record(
        action=action,
        actor=actor,
        object_type=action.split(".")[0],
        object_id=row.pk,
        detail={"municipality": row.municipality_id, "district": row.district_id},
    )


def _district_of(city: Municipality, district: District | None) -> District | None:
    if district is not None and district.municipality_id != city.pk:
        raise ValidationError({"district": _("This district is not in this city.")})
    return district


# --- news -------------------------------------------------------------------------------------------
@dataclass
class NewsData:
    title: str
    body: str
    published_at: dt.datetime
    summary: str = ""
    district: District | None = None
    tags: Sequence[str] = ()
    photos: Sequence[bytes] = ()  # raw uploads; re-encoded by core.images before anything is written
    photo_alts: Sequence[str] = field(default_factory=list)


def parse_tags(text: str) -> list[str]:
    """ "ремонт, Дороги , ремонт" → ["ремонт", "Дороги"]: trimmed, without repeats (by slug)."""
    seen, names = set(), []
    for raw in text.replace(";", ",").split(","):
        name = " ".join(raw.split())[:60]
        slug = slugify(name, allow_unicode=True)
        if slug and slug not in seen:
            seen.add(slug)
            names.append(name)
    return names


def _tags(city: Municipality, names: Sequence[str]) -> list[NewsTag]:
    if len(names) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(n)d tags.") % {"n": MAX_TAGS}})
    tags = []
    for name in names:
        slug = slugify(name, allow_unicode=True)[:60]
        if not slug:
            continue
        tag, _created = NewsTag.objects.get_or_create(municipality=city, slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


def _clean_photos(data: NewsData, already: int = 0):
    if len(data.photos) + already > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d photos.") % {"n": MAX_PHOTOS}})
    cleaned = []
    for position, raw in enumerate(data.photos, start=1):
        try:
            cleaned.append(clean_photo(raw))
        except PhotoRejected as exc:
            raise ValidationError(
                {"photos": _("Photo %(n)d: %(why)s") % {"n": position, "why": exc}}
            ) from None
    return cleaned


def _apply(item: NewsItem, data: NewsData) -> None:
    item.title = data.title.strip()
    item.summary = data.summary.strip()
    item.body = data.body
    item.published_at = data.published_at
    item.district = _district_of(item.municipality, data.district)
    item.full_clean(exclude=["municipality", "author"])


def _save_photos(item: NewsItem, photos, alts: Sequence[str]) -> None:
    start = item.photos.count()
    for offset, content in enumerate(photos):
        alt = (alts[offset] if offset < len(alts) else "").strip()[:300]
        photo = NewsPhoto(item=item, alt=alt, order=start + offset)
        photo.image.save(content.name, content, save=False)
        photo.full_clean(exclude=["item"])
        photo.save()


def _delete_photos(photos: list[NewsPhoto]) -> None:
    """Delete the rows now and their files once the transaction has committed (a rollback keeps both)."""
    names = [str(p.image.name) for p in photos]
    for photo in photos:
        photo.delete()
    if names:
        storage = photos[0].image.storage

        def remove() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(remove)


@transaction.atomic
def news_create(*, municipality: Municipality, author, data: NewsData) -> NewsItem:
    """A news item, published at data.published_at (in the future: scheduled, hidden until then)."""
    _may_write(author)
    photos = _clean_photos(data)  # every photo checked before anything is written
    item = NewsItem(municipality=municipality, author=author)
    _apply(item, data)
    item.save()
    item.tags.set(_tags(municipality, data.tags))
    _save_photos(item, photos, data.photo_alts)
    _audit("news.create", author, item)
    return item


@transaction.atomic
def news_update(*, item: NewsItem, actor, data: NewsData, remove_photo_ids: Sequence[int] = ()) -> NewsItem:
    """Change a news item; a new publication time in the future hides it again until then."""
    _may_write(actor)
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    removed = list(item.photos.filter(pk__in=list(remove_photo_ids)))
    photos = _clean_photos(data, already=item.photos.count() - len(removed))
    # An item already announced is not announced again when its time is moved: one mail per item.
    _apply(item, data)
    item.save()
    item.tags.set(_tags(item.municipality, data.tags))
    _delete_photos(removed)
    _save_photos(item, photos, data.photo_alts)
    _audit("news.update", actor, item)
    return item


@transaction.atomic
def news_delete(*, item: NewsItem, actor) -> None:
    _may_write(actor)
    _audit("news.delete", actor, item)
    _delete_photos(list(item.photos.all()))
    item.delete()


# --- planned works ----------------------------------------------------------------------------------
@dataclass
class WorkData:
    kind: str
    title: str
    geometry: str | dict
    starts_on: dt.date
    ends_on: dt.date
    published_at: dt.datetime
    description: str = ""
    address: str = ""


def _apply_work(work: PlannedWork, data: WorkData) -> None:
    errors: dict[str, list[str]] = {}
    if data.starts_on and data.ends_on and data.starts_on > data.ends_on:
        errors["ends_on"] = [_("The works cannot end before they start.")]
    try:
        shaped = geometry.check(data.geometry, municipality_id=work.municipality_id)
    except ValidationError as exc:
        errors["geometry"] = exc.messages
        shaped = None
    if errors:
        raise ValidationError(errors)
    assert shaped is not None
    work.kind = data.kind
    work.title = data.title.strip()
    work.description = data.description.strip()
    work.address = data.address.strip()
    work.geometry = shaped.geometry
    work.district_id = shaped.district_id
    work.south, work.west, work.north, work.east = shaped.bbox
    work.starts_on, work.ends_on = data.starts_on, data.ends_on
    work.published_at = data.published_at
    work.full_clean(exclude=["municipality", "author"])


@transaction.atomic
def work_create(*, municipality: Municipality, author, data: WorkData) -> PlannedWork:
    """Planned works or an outage; the shape must be valid and inside the city, and start ≤ end."""
    _may_write(author)
    work = PlannedWork(municipality=municipality, author=author)
    _apply_work(work, data)
    work.save()
    _audit("work.create", author, work)
    return work


@transaction.atomic
def work_update(*, work: PlannedWork, actor, data: WorkData) -> PlannedWork:
    _may_write(actor)
    work = PlannedWork.objects.select_for_update().get(pk=work.pk)
    _apply_work(work, data)
    work.save()
    _audit("work.update", actor, work)
    return work


@transaction.atomic
def work_delete(*, work: PlannedWork, actor) -> None:
    _may_write(actor)
    _audit("work.delete", actor, work)
    work.delete()


# --- subscriptions ----------------------------------------------------------------------------------
def unsubscribe_token(subscription: AreaSubscription) -> str:
    # Only the row's id, signed: the address never appears in a link.
    return signing.dumps({"s": subscription.pk}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    value = data.get("s") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


@transaction.atomic
def subscription_create(
    *,
    municipality: Municipality,
    email: str,
    language: str,
    district: District | None = None,
    lat: float | None = None,
    lon: float | None = None,
    radius_m: int | None = None,
) -> AreaSubscription:
    """Subscribe an address to a district, or to a circle around a point inside the city. The outbox
    asks an address nobody has confirmed to confirm itself before it releases anything to it, so typing
    a stranger's address here sends them one confirmation request and nothing more."""
    from gorod.city.districts import district_for_report
    from gorod.info.news import mails

    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if district is None:
        if lat is None or lon is None or radius_m is None:
            raise ValidationError({"district": _("Choose a district, or a point and a radius.")})
        if not (MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M):
            raise ValidationError(
                {"radius_m": _("The radius must be %(a)d–%(b)d m.") % {"a": MIN_RADIUS_M, "b": MAX_RADIUS_M}}
            )
        if district_for_report(municipality.pk, lat, lon) is None:
            raise ValidationError({"lat": _("This point is outside the city.")})
    else:
        _district_of(municipality, district)
        lat = lon = radius_m = None
    email_hash = crypto.lookup_hash(email)
    existing = AreaSubscription.objects.filter(
        municipality=municipality,
        email_hash=email_hash,
        district=district,
        lat=lat,
        lon=lon,
        radius_m=radius_m,
    ).first()
    if existing is not None:
        if not existing.active:
            existing.active = True
            existing.save(update_fields=["active"])
        return existing
    subscription = AreaSubscription(
        municipality=municipality,
        district=district,
        lat=lat,
        lon=lon,
        radius_m=radius_m,
        email=email,
        email_hash=email_hash,
        language=(language or "ru")[:2],
    )
    subscription.full_clean()
    subscription.save()
    mails.subscribed(subscription)
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription_id: int) -> bool:
    """Stop a subscription (the link in every mail). False if there is none; idempotent."""
    return bool(AreaSubscription.objects.filter(pk=subscription_id).update(active=False, updated=clock.now()))


def announce_due() -> int:
    """Mail the subscribers of every news item and planned work whose publication time has come and
    that nobody was told of yet. Each item in its own transaction, with its mails and its `announced`
    flag: a crash re-runs only what was not committed, and the outbox's keys make a re-run send nothing
    twice. Returns the mails enqueued."""
    from gorod.info.news import mails

    sent = 0
    now = clock.now()
    for pk in NewsItem.objects.filter(announced=False, published_at__lte=now).values_list("pk", flat=True)[
        :500
    ]:
        with transaction.atomic():
            item = NewsItem.objects.select_for_update().filter(pk=pk, announced=False).first()
            if item is None:
                continue
            sent += mails.announce_news(item)
            NewsItem.objects.filter(pk=pk).update(announced=True)
    for pk in PlannedWork.objects.filter(announced=False, published_at__lte=now).values_list("pk", flat=True)[
        :500
    ]:
        with transaction.atomic():
            work = PlannedWork.objects.select_for_update().filter(pk=pk, announced=False).first()
            if work is None:
                continue
            sent += mails.announce_work(work)
            PlannedWork.objects.filter(pk=pk).update(announced=True)
    return sent
