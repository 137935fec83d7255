"""POST requests: from a form-encoded (or multipart) body to reports.services.NewReport, and from the
service's ReportInvalid back to Open311 errors. The web form and this API file reports through the same
report_create; only the field names differ, and they are translated here in both directions."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from gorod.city.models import Category
from gorod.core.images import PhotoLimits
from gorod.open311.params import SERVICE_CODE, bad, given, number
from gorod.open311.render import Open311Error
from gorod.reports.services import NewReport

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]{1,64})\](\[\])?")

# reports.services names → the Open311 parameter a client sent.
_FIELD_NAMES = {
    "category": "service_code",
    "address": "address_string",
    "name": "first_name/last_name",
}


@dataclass
class Submission:
    """The parsed body: the service code, and the report without its category (looked up next)."""

    service_code: str
    report: NewReport

    def new_report(self, category: Category) -> NewReport:
        """What reports.services.report_create takes, for the service the code named."""
        return replace(self.report, category=category)


# Three photos at the limit, plus room for the text fields.
MAX_BODY_BYTES = settings.GOROD_MAX_PHOTOS * settings.GOROD_PHOTO_MAX_BYTES + (1 << 20)


def read_body(request: HttpRequest) -> tuple[QueryDict, MultiValueDict]:
    """The form fields and files, or a 400 for anything that is not a readable form within limits."""
    if request.content_type not in FORM_TYPES:
        raise Open311Error(
            400, _("Send the fields as application/x-www-form-urlencoded or multipart/form-data.")
        )
    # Refuse what cannot be a report before reading it, and drop files other than `media` (or beyond
    # the limits) as they stream in, so no client fills the disk, key or no key.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise Open311Error(400, _("The request body could not be read: it is malformed or too large."))
    limits = PhotoLimits(request, field_name="media")
    request.upload_handlers.insert(0, limits)
    try:
        post, files = request.POST, request.FILES
    except (SuspiciousOperation, MultiPartParserError):
        # Too large, too many fields or files, or a broken multipart body.
        raise Open311Error(
            400, _("The request body could not be read: it is malformed or too large.")
        ) from None
    if limits.errors():
        raise bad("media", limits.errors()[0])
    return post, files


def parse(post: QueryDict, files: MultiValueDict, *, centre: tuple[float, float]) -> Submission:
    """Everything but the api_key and the jurisdiction (whose `centre`, lat and lon, gives the examples
    of a refusal). Raises Open311Error(400)."""
    code = given(post.get("service_code"))
    if code is None:
        raise bad("service_code", _("required. Get the codes from services.json or services.xml."))
    if not SERVICE_CODE.fullmatch(code):
        raise bad("service_code", _("not a valid service code."))
    lat = number("lat", post.get("lat"), low=-90, high=90, like=centre[0])
    lon = number("long", post.get("long"), low=-180, high=180, like=centre[1])
    if (lat is None) != (lon is None):
        raise bad("lat/long", _("send both lat and long, or neither."))
    address = given(post.get("address_string")) or ""
    if lat is None and not address and given(post.get("address_id")):
        raise bad(
            "address_id",
            _("address ids are not supported here; send lat and long, or address_string, instead."),
        )
    names = [given(post.get("first_name")), given(post.get("last_name"))]
    report = NewReport(
        category=None,
        lat=lat,
        lon=lon,
        address=address,
        description=post.get("description") or "",
        attributes=_attributes(post),
        photos=_photos(files),
        contact_name=" ".join(n for n in names if n),
        contact_email=given(post.get("email")) or "",
        contact_phone=given(post.get("phone")) or "",
        # device_id, account_id and media_url are accepted and deliberately dropped: we keep no device
        # identifiers, and we never fetch a URL a client hands us (docs/open311.md).
    )
    return Submission(service_code=code, report=report)


def _attributes(post: QueryDict) -> dict[str, str | list[str]]:
    """attribute[code]=v, and attribute[code][]=v repeated for a multivaluelist."""
    values: dict[str, list[str]] = {}
    for key in post:
        if not key.startswith("attribute"):
            continue
        match = _ATTRIBUTE.fullmatch(key)
        if match is None:
            raise bad(
                key[:70], _("use attribute[code]=value, or attribute[code][]=value for several values.")
            )
        values.setdefault(match.group(1), []).extend(post.getlist(key))
    return {code: items[0] if len(items) == 1 else items for code, items in values.items()}


def _photos(files: MultiValueDict) -> list[bytes]:
    """Multipart `media` files (our extension). Limits are checked before anything is read."""
    uploads = files.getlist("media") + files.getlist("media[]")
    if len(uploads) > settings.GOROD_MAX_PHOTOS:
        raise bad("media", _("at most %(n)d photos.") % {"n": settings.GOROD_MAX_PHOTOS})
    for upload in uploads:
        if upload.size > settings.GOROD_PHOTO_MAX_BYTES:
            raise bad(
                "media",
                _("the photo is larger than %(mb)d MB.") % {"mb": settings.GOROD_PHOTO_MAX_BYTES >> 20},
            )
    return [upload.read() for upload in uploads]


def errors_of(message_dict: dict[str, list[str]], *, by_coordinates: bool) -> Open311Error:
    """ReportInvalid's messages as one Open311 error each, named by the parameter the client sent."""
    descriptions: list[str] = []
    for name, messages in message_dict.items():
        if name == "location":
            name = "lat/long" if by_coordinates else "address_string"
        else:
            name = _FIELD_NAMES.get(name, name)
        descriptions.extend(f"{name}: {message}" for message in messages)
    return Open311Error(400, *descriptions)
