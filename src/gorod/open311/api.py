"""Open311 GeoReport v2 at /open311/v2/ (docs/open311.md). Thin views: parse (params, submission),
call one service or selector, render (render.respond) in the format the URL ends with.

Every refusal is an Open311Error raised anywhere below and turned into the spec's errors list by
`@open311`, so no malformed input reaches a framework error page."""

from __future__ import annotations

import contextlib
import functools
import inspect
import re
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from gorod.core import clock, ratelimit
from gorod.core.http import client_ip
from gorod.open311 import answers, idempotency, listing, params, schemas, selectors, submission
from gorod.open311.render import Open311Error, error_response, respond
from gorod.open311.schemas import Format
from gorod.open311.services import api_key_check, api_key_used
from gorod.reports.models import Report
from gorod.reports.services import report_create

router = Router(tags=["Open311 GeoReport v2"])

FMT = Path(..., description=schemas.FMT, example="json")
_OTHER_METHODS = ["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def open311(view):
    """Checks the format suffix, applies ?locale=, and renders any Open311Error in the asked format."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
        language = translation.get_language()
        locale = (request.GET.get("locale") or "")[:20]
        # An unknown locale is a preference we cannot meet, not an error.
        with contextlib.suppress(LookupError):
            language = translation.get_supported_language_variant(locale) if locale else language
        with translation.override(language):
            try:
                params.check_format(fmt)
                response = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                response = error_response(fmt, error)
            response["Content-Language"] = language
        return response

    return wrapper


def _method_not_allowed(path: str, methods: list[str]) -> None:
    """A 405 in the spec's errors shape (JSON) for the methods a resource does not answer."""

    def not_allowed(request: HttpRequest, **kwargs) -> HttpResponse:
        error = Open311Error(405, _("Method %(method)s is not allowed here.") % {"method": request.method})
        response = error_response(kwargs.get("fmt", "json"), error)
        response["Allow"] = "GET, POST" if "POST" not in methods else "GET"
        return response

    # ninja reads path parameters from the signature; declare the path's ones without writing a function each.
    names = re.findall(r"{(\w+)}", path)
    not_allowed.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=str) for n in names]
    )
    not_allowed.__name__ = "not_allowed_" + "_".join(re.findall(r"\w+", path))
    router.api_operation(methods, path, include_in_schema=False)(not_allowed)


# --- discovery and services ------------------------------------------------------------------------
@router.get(
    "discovery.{fmt}", response={200: schemas.DiscoveryOut, **schemas.ERRORS}, summary="Service discovery"
)
@open311
def discovery(request: HttpRequest, q: Query[schemas.CommonQuery], fmt: Format = FMT) -> HttpResponse:
    municipality = selectors.municipality_for(q.jurisdiction_id) if params.given(q.jurisdiction_id) else None
    changeset = selectors.changeset(municipality)
    data = {
        "changeset": changeset,
        "contact": _("Questions about this API: write to the city's Gorod administrators."),
        "key_service": _(
            "Ask the city's Gorod administrators for an API key (it is needed only to POST requests)."
        ),
        "endpoints": [
            {
                "specification": selectors.SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", data)


@router.get(
    "services.{fmt}", response={200: list[schemas.ServiceOut], **schemas.ERRORS}, summary="Service list"
)
@open311
def service_list(request: HttpRequest, q: Query[schemas.CommonQuery], fmt: Format = FMT) -> HttpResponse:
    municipality = selectors.municipality_for(q.jurisdiction_id)
    return answers.cached(
        request,
        ("services", municipality.pk, translation.get_language(), fmt),
        municipality.pk,
        lambda: respond(fmt, "services", selectors.services(municipality)),
        lambda: selectors.changed_at(municipality),
    )


@router.get(
    "services/{service_code}.{fmt}",
    response={200: schemas.ServiceDefinitionOut, **schemas.ERRORS},
    summary="Service definition",
)
@open311
def service_definition(
    request: HttpRequest, service_code: str, q: Query[schemas.CommonQuery], fmt: Format = FMT
) -> HttpResponse:
    municipality = selectors.municipality_for(q.jurisdiction_id)
    category = selectors.category_for_code(municipality, service_code) if len(service_code) <= 64 else None
    if category is None:
        raise Open311Error(
            404, _("service_code: “%(code)s” is not a service here.") % {"code": service_code[:64]}
        )
    return answers.cached(
        request,
        ("service_definition", municipality.pk, service_code, translation.get_language(), fmt),
        municipality.pk,
        lambda: respond(fmt, "service_definition", selectors.service_definition(category)),
        lambda: selectors.changed_at(municipality),
    )


# --- service requests ------------------------------------------------------------------------------
@router.post(
    "requests.{fmt}",
    response={
        200: list[schemas.CreatedOut],
        **schemas.ERRORS,
        422: list[schemas.ErrorOut],
        429: list[schemas.ErrorOut],
    },
    openapi_extra=schemas.FORM_BODY,
    summary="Create a service request (api_key required)",
)
@open311
def create_request(request: HttpRequest, fmt: Format = FMT) -> HttpResponse:
    _throttle("open311_client", client_ip(request))  # before reading the body, and before the key check
    post, files = submission.read_body(request)
    api_key = api_key_check(post.get("api_key") or "")
    if api_key is None:
        raise Open311Error(403, _("api_key: missing or not valid; POST requests needs a key from the city."))
    _throttle("open311_key", str(api_key.pk))
    key = idempotency.key_of(request, post)

    def produce() -> HttpResponse:
        return _create(request, post, files, api_key, fmt)

    if key is None:
        return produce()
    # A retry of an answered POST gets that answer again; nothing is filed twice (docs/open311.md).
    return idempotency.once(
        scope=f"key:{api_key.pk}",
        key=key,
        request_hash=idempotency.fingerprint(fmt, post, files, request.GET),
        produce=produce,
    )


def _create(request: HttpRequest, post, files, api_key, fmt: str) -> HttpResponse:
    # The spec puts jurisdiction_id in the body; some clients put it in the URL, which is harmless.
    municipality = selectors.municipality_for(
        post.get("jurisdiction_id") or request.GET.get("jurisdiction_id")
    )
    if api_key.municipality_id is not None and api_key.municipality_id != municipality.pk:
        raise Open311Error(403, _("api_key: this key is not valid for this jurisdiction_id."))
    sent = submission.parse(post, files, centre=(municipality.center_lat, municipality.center_lon))
    category = selectors.category_for_code(municipality, sent.service_code)
    if category is None:
        raise Open311Error(
            404, _("service_code: “%(code)s” is not a service here.") % {"code": sent.service_code}
        )
    try:
        report = report_create(
            municipality=municipality, data=sent.new_report(category), source=Report.Source.OPEN311
        )
    except ValidationError as exc:  # ReportInvalid, or a model check it did not foresee
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
        raise submission.errors_of(messages, by_coordinates=sent.report.lat is not None) from None
    api_key_used(api_key)
    response = respond(fmt, "service_requests", [listing.created(report)])
    response.report_id = report.pk  # type: ignore[attr-defined]  # for the idempotency record
    return response


@router.get(
    "requests.{fmt}", response={200: list[schemas.RequestOut], **schemas.ERRORS}, summary="Service requests"
)
@open311
def request_list(request: HttpRequest, q: Query[schemas.RequestsQuery], fmt: Format = FMT) -> HttpResponse:
    municipality = selectors.municipality_for(q.jurisdiction_id)
    extensions = params.boolean("extensions", q.extensions)
    ids = params.request_ids(q.service_request_id)
    if ids:
        query = listing.RequestQuery(ids=ids, extensions=extensions)
    else:
        tz = ZoneInfo(municipality.timezone)
        centre = (municipality.center_lat, municipality.center_lon)
        start, end = params.date_range(q.start_date, q.end_date, tz=tz, now=clock.now())
        page, page_size = params.paging(q.page, q.page_size)
        codes = params.service_codes(q.service_code)
        query = listing.RequestQuery(
            categories=listing.category_ids(municipality, codes) if codes else (),
            status=params.open_or_closed(q.status),
            start=start,
            end=end,
            bbox=params.bbox(q.bbox, centre=centre),
            circle=params.circle(q.lat, q.long, q.radius, centre=centre),
            page=page,
            page_size=page_size,
            extensions=extensions,
        )
    items = listing.requests(municipality, query, origin=_origin(request))
    return respond(fmt, "service_requests", items)


@router.get(
    "requests/{service_request_id}.{fmt}",
    response={200: list[schemas.RequestOut], **schemas.ERRORS},
    summary="One service request",
)
@open311
def request_detail(
    request: HttpRequest, service_request_id: str, q: Query[schemas.OneRequestQuery], fmt: Format = FMT
) -> HttpResponse:
    pk = params.request_id(service_request_id)
    municipality = selectors.municipality_for(q.jurisdiction_id)
    query = listing.RequestQuery(ids=(pk,), extensions=params.boolean("extensions", q.extensions))
    items = listing.requests(municipality, query, origin=_origin(request))
    if not items:
        raise Open311Error(404, _("service_request_id: no request %(id)d here.") % {"id": pk})
    return respond(fmt, "service_requests", items)


@router.get(
    "tokens/{token}.{fmt}",
    response={200: list[schemas.TokenOut], **schemas.ERRORS},
    summary="Request id of a token",
)
@open311
def token_detail(
    request: HttpRequest, token: str, q: Query[schemas.CommonQuery], fmt: Format = FMT
) -> HttpResponse:
    municipality = selectors.municipality_for(q.jurisdiction_id)
    item = selectors.request_for_token(municipality, token)
    if item is None:
        raise Open311Error(404, _("token: no request has this token."))
    return respond(fmt, "service_requests", [item])


@router.get(
    "servicerequestupdates.{fmt}",
    response={200: list[schemas.UpdateOut], **schemas.ERRORS},
    summary="Updates of service requests (FixMyStreet extension)",
)
@open311
def update_list(request: HttpRequest, q: Query[schemas.UpdatesQuery], fmt: Format = FMT) -> HttpResponse:
    municipality = selectors.municipality_for(q.jurisdiction_id)
    tz = ZoneInfo(municipality.timezone)
    start, end = params.date_range(q.start_date, q.end_date, tz=tz, now=clock.now())
    page, page_size = params.paging(q.page, q.page_size)
    report_id = params.given(q.service_request_id)
    items = selectors.updates(
        municipality,
        start=start,
        end=end,
        report_id=params.request_id(report_id) if report_id else None,
        page=page,
        page_size=page_size,
    )
    return respond(fmt, "service_requests_updates", items)


def _throttle(scope: str, key: str) -> None:
    try:
        ratelimit.hit(scope, key)
    except ratelimit.RateLimited as exc:
        message = _("Too many requests: wait %(seconds)d s (Retry-After) and try again.")
        raise Open311Error(429, message % {"seconds": exc.retry_after}, retry_after=exc.retry_after) from None


def _origin(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


# --- everything else -------------------------------------------------------------------------------
_GET_ONLY = (
    "discovery.{fmt}",
    "services.{fmt}",
    "services/{service_code}.{fmt}",
    "requests/{service_request_id}.{fmt}",
    "tokens/{token}.{fmt}",
    "servicerequestupdates.{fmt}",
)
for _path in _GET_ONLY:
    _method_not_allowed(_path, ["POST", *_OTHER_METHODS])
_method_not_allowed("requests.{fmt}", _OTHER_METHODS)


@router.api_operation(["GET", "POST", *_OTHER_METHODS], "{path:rest}", include_in_schema=False)
def unknown_resource(request: HttpRequest, rest: str) -> HttpResponse:
    fmt = "xml" if rest.endswith(".xml") else "json"
    return error_response(fmt, Open311Error(404, _("No such Open311 resource; see discovery.json.")))
