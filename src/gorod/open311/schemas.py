"""Shapes for the OpenAPI document only. The views parse and render by hand (see params.py and render.py)
so that every malformed input gets Open311's errors list rather than a framework 422, and so that XML
and JSON come from the same structure. Query fields are therefore plain optional strings here."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import WithJsonSchema

from gorod.open311.render import FORMATS

FMT = "Response format: `json` or `xml`."
# The URL suffix. Validated by hand (params.check_format answers a bad one in the errors list), so at run
# time it is any string; the document still names the only two values, which API fuzzers then keep to.
Format = Annotated[str, WithJsonSchema({"type": "string", "enum": list(FORMATS)})]
# /api/openapi.json puts the jurisdiction_id of the municipality its host shows in place of this.
JURISDICTION_EXAMPLE = "<jurisdiction_id>"
JURISDICTION = (
    f"Required only when this endpoint serves several municipalities (e.g. `{JURISDICTION_EXAMPLE}`)."
)
LOCALE = "`ru` (default) or `en`; otherwise the Accept-Language header decides."
DATE = "W3C datetime, e.g. 2026-05-01T00:00:00+03:00 (a bare date is the whole day in the city's zone)."


class CommonQuery(Schema):
    jurisdiction_id: str | None = Field(None, description=JURISDICTION)
    locale: str | None = Field(None, description=LOCALE)


class RequestsQuery(CommonQuery):
    service_request_id: str | None = Field(
        None, description="Comma-separated ids (at most 1000). Overrides every other filter."
    )
    service_code: str | None = Field(None, description="Comma-separated service codes.")
    start_date: str | None = Field(None, description=DATE + " At most 90 days before end_date.")
    end_date: str | None = Field(None, description=DATE + " Without dates: the most recent 90 days.")
    status: str | None = Field(None, description="`open`, `closed` or `open,closed`.")
    page: str | None = Field(None, description="Extension: page number, from 1.")
    page_size: str | None = Field(None, description="Extension: results per page, 1–1000 (default 1000).")
    bbox: str | None = Field(None, description="Extension: `west,south,east,north` in degrees (WGS84).")
    lat: str | None = Field(None, description="Extension: centre latitude for `radius`.")
    long: str | None = Field(None, description="Extension: centre longitude for `radius`.")
    radius: str | None = Field(None, description="Extension: metres around lat/long, 1–5000.")
    extensions: str | None = Field(
        None, description="Extension: `true` adds `extended_attributes` to each request."
    )


class OneRequestQuery(CommonQuery):
    extensions: str | None = Field(None, description="Extension: `true` adds `extended_attributes`.")


class UpdatesQuery(CommonQuery):
    start_date: str | None = Field(None, description=DATE)
    end_date: str | None = Field(None, description=DATE + " At most 90 days after start_date.")
    service_request_id: str | None = Field(None, description="Only the updates of this request.")
    page: str | None = Field(None, description="Page number, from 1.")
    page_size: str | None = Field(None, description="Updates per page, 1–1000 (default 1000).")


class NewRequestForm(Schema):
    api_key: str = Field(description="Your API key (ask the city; `gorod create_api_key NAME`).")
    jurisdiction_id: str | None = Field(None, description=JURISDICTION)
    service_code: str = Field(description="From services.json / services.xml.")
    lat: float | None = Field(None, description="WGS84 latitude; with long, or give address_string.")
    long: float | None = Field(None, description="WGS84 longitude.")
    address_string: str | None = Field(None, description="An address the city's gazetteer knows.")
    address_id: str | None = Field(None, description="Not supported: send lat/long or address_string.")
    email: str | None = Field(None, description="Contact e-mail (kept encrypted, never published).")
    device_id: str | None = Field(None, description="Accepted and not stored.")
    account_id: str | None = Field(None, description="Accepted and not stored.")
    first_name: str | None = Field(None, description="Contact name (kept encrypted, never published).")
    last_name: str | None = Field(None, description="Contact name (kept encrypted, never published).")
    phone: str | None = Field(None, description="Contact phone (kept encrypted, never published).")
    description: str = Field(description="What is wrong; at most 4000 characters.")
    media_url: str | None = Field(
        None, description="Accepted but never fetched; upload `media` files instead."
    )
    idempotency_key: str | None = Field(
        None,
        max_length=255,
        description="For clients that cannot set the Idempotency-Key header: the same key, as a field.",
    )
    attribute_code: str | None = Field(
        None,
        alias="attribute[code]",
        description="One per attribute of the service definition; `attribute[code][]` repeated for a "
        "multivaluelist.",
    )


# The POST body is read by hand (attribute[code] keys are dynamic), so it is described here directly.
_FORM = NewRequestForm.model_json_schema(by_alias=True)
_MULTIPART = {
    **_FORM,
    "properties": {
        **_FORM["properties"],
        "media": {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": "Extension: up to 3 photos (JPEG, PNG, WebP, GIF); re-encoded, metadata stripped.",
        },
    },
}
IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string (a UUID) of 1–255 printable ASCII characters. A retry with the same"
    " key and the same parameters within 24 h gets the first answer again (header Idempotent-Replayed:"
    " true) and files nothing; the same key with other parameters is refused with 422. Keys are scoped"
    " per API key. Also accepted as the form field idempotency_key.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x20-\\x7e]+$"},
}

FORM_BODY = {
    "parameters": [IDEMPOTENCY_HEADER],
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {"schema": _FORM},
            "multipart/form-data": {"schema": _MULTIPART},
        },
    },
}


class ErrorOut(Schema):
    code: int
    description: str


class ServiceOut(Schema):
    service_code: str
    service_name: str
    description: str | None
    metadata: bool
    type: str
    keywords: str | None
    group: str


class ValueOut(Schema):
    key: str
    name: str


class AttributeOut(Schema):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[ValueOut]


class ServiceDefinitionOut(Schema):
    service_code: str
    attributes: list[AttributeOut]


class CreatedOut(Schema):
    service_request_id: int
    service_notice: str | None
    account_id: str | None
    token: str = Field(description="Also usable with tokens/{token}.")


class TokenOut(Schema):
    service_request_id: int
    token: str


class AttributeValueOut(Schema):
    code: str
    values: list[str | float | int]


class ExtendedAttributesOut(Schema):
    detailed_status: str = Field(description="The workflow status: submitted, accepted, in_progress, …")
    district: str
    department: str | None
    deadline: str
    moderation_due: str
    media_urls: list[str]
    attributes: list[AttributeValueOut]


class RequestOut(Schema):
    service_request_id: int
    status: str
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float
    long: float
    media_url: str | None
    extended_attributes: ExtendedAttributesOut | None = Field(None, description="Only with extensions=true.")


class UpdateOut(Schema):
    update_id: int
    service_request_id: int
    status: str
    detailed_status: str
    updated_datetime: str
    description: str | None
    media_url: str | None


class EndpointOut(Schema):
    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


class DiscoveryOut(Schema):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[EndpointOut]


ERRORS = {400: list[ErrorOut], 403: list[ErrorOut], 404: list[ErrorOut]}
