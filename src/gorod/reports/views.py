"""The public web pages of reports: home, map + list, the report form and its HTMX partials, a report's
page. Each view parses its input, calls one service or selector and renders; nothing here writes except
through services.report_create."""

from __future__ import annotations

import functools
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Department, Municipality
from gorod.core import clock, honeypot, ratelimit
from gorod.core.images import PhotoLimits
from gorod.core.replica import replica_reads
from gorod.core.tiles import tile_config
from gorod.reports import held_photos, selectors
from gorod.reports.attributes import answers
from gorod.reports.feeds import feed_links
from gorod.reports.filters import parse_filters, to_params
from gorod.reports.forms import ReportForm, attribute_fields, read_attributes
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.rules import is_report_author
from gorod.reports.services import (
    NewReport,
    ReportInvalid,
    ReportNotFound,
    ReportRefused,
    feedback,
    report_create,
)
from gorod.reports.titles import AUTO_CONFIRM_TITLE, EVENT_TITLES
from gorod.reports.workflow import Status

PAGE_SIZE = 25
RECENT_ON_HOME = 10


def with_city(view):
    """Pass the default municipality to the view, in its time zone; without one, a 404 that says how
    to load a city."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        city = city_selectors.default_municipality()
        if city is None:
            return render(request, "no_city.html", status=404)
        timezone.activate(ZoneInfo(city.timezone))
        try:
            return view(request, city, *args, **kwargs)
        finally:
            timezone.deactivate()

    return wrapper


def _is_partial(request: HttpRequest) -> bool:
    # A history restore needs the whole page back, not the fragment.
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def _map_config(city: Municipality) -> dict:
    return {
        "center": [city.center_lat, city.center_lon],
        "zoom": city.default_zoom,
        **tile_config(),
        "districts": reverse("reports-districts"),
        "clusters": reverse("reports-map-json"),
        "reportUrl": reverse("report-detail", args=[0]),
        "i18n": {
            "report": _("Report #%(id)s: open its page"),
            "cluster": _("%(count)s reports here: zoom in"),
            "loading": _("Loading reports…"),
            "failed": _("The map could not load reports. Try again later."),
            "shown": _("%(count)s reports in this part of the map."),
            "pin": _("The place of the problem"),
        },
    }


# --- home -------------------------------------------------------------------------------------------
@require_GET
@with_city
def home(request: HttpRequest, city: Municipality) -> HttpResponse:
    recent = selectors.for_list(selectors.filtered(city, selectors.ReportFilter()))[:RECENT_ON_HOME]
    return render(
        request,
        "home.html",
        {
            "city": city,
            "counts": selectors.counts(city),
            "recent": list(recent),
            "feeds": feed_links(),
        },
    )


@require_GET
@with_city
def home_counts(request: HttpRequest, city: Municipality) -> HttpResponse:
    return render(request, "reports/_counts.html", {"counts": selectors.counts(city)})


# --- map + list -------------------------------------------------------------------------------------
@require_GET
@vary_on_headers("HX-Request")
@replica_reads  # a public list: a replica's copy a moment old is good enough (core.replica)
@with_city
def report_list(request: HttpRequest, city: Municipality) -> HttpResponse:
    report_filter, filter_errors = parse_filters(request.GET, city)
    paginator = Paginator(selectors.for_list(selectors.filtered(city, report_filter)), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = to_params(report_filter, city)
    context = {
        "city": city,
        "page": page,
        "page_links": _page_links(page, params),
        "filter_errors": filter_errors,
    }
    if _is_partial(request):
        context["feeds"] = feed_links(
            districts=city_selectors.districts_of(city).filter(pk__in=report_filter.districts)
            if report_filter.districts
            else (),
            categories=Category.objects.filter(pk__in=report_filter.categories)
            if report_filter.categories
            else (),
        )
        return render(request, "reports/_list.html", context)

    categories = list(city_selectors.active_categories(city).prefetch_related(None))
    districts = list(city_selectors.districts_of(city))
    chosen_categories = set(report_filter.categories)
    groups: dict[int, dict] = {}
    for category in categories:
        group = groups.setdefault(
            category.object_type_id, {"label": category.object_type.label, "items": [], "chosen": 0}
        )
        group["items"].append((category, category.pk in chosen_categories))
        group["chosen"] += category.pk in chosen_categories
    tz = ZoneInfo(city.timezone)
    context.update(
        {
            "category_groups": list(groups.values()),
            "districts": [(d, d.pk in report_filter.districts) for d in districts],
            "statuses": [(s, s.value in report_filter.statuses) for s in Status],
            "date_from": report_filter.start.astimezone(tz).date().isoformat() if report_filter.start else "",
            "date_to": report_filter.end.astimezone(tz).date().isoformat() if report_filter.end else "",
            # Only from a link (performance, statistics): shown, kept by the form, and removable.
            "department": Department.objects.filter(pk=report_filter.departments[0]).first()
            if report_filter.departments
            else None,
            "map_config": _map_config(city),
            "feeds": feed_links(
                districts=[d for d in districts if d.pk in report_filter.districts],
                categories=[c for c in categories if c.pk in chosen_categories],
            ),
        }
    )
    return render(request, "reports/list.html", context)


def _page_links(page, params: list[tuple[str, str]]) -> dict:
    def url(number: int) -> str:
        return "?" + urlencode([*params, ("page", str(number))])

    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
        "first": url(1) if page.number > 2 else "",
        "last": url(page.paginator.num_pages) if page.number < page.paginator.num_pages - 1 else "",
    }


@require_GET
@cache_control(max_age=300)
@with_city
def districts_geojson(request: HttpRequest, city: Municipality) -> JsonResponse:
    """The districts' boundaries from our own data, drawn on every map (also without a tile server)."""
    features = [
        {
            "type": "Feature",
            "geometry": d.boundary.get("geometry", d.boundary)
            if d.boundary.get("type") == "Feature"
            else d.boundary,
            "properties": {"id": d.pk, "slug": d.slug, "name": d.label},
        }
        for d in city_selectors.districts_of(city)
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Vary"] = "Accept-Language, Cookie"
    return response


# --- report page ------------------------------------------------------------------------------------


@require_GET
@with_city
def report_detail(request: HttpRequest, city: Municipality, pk: int) -> HttpResponse:
    return _detail(request, city, pk)


@require_GET
@with_city
def report_answer(request: HttpRequest, city: Municipality, pk: int, token: str) -> HttpResponse:
    """The page the author's e-mail links to: the report with the confirm/dispute box, for a signed link
    instead of a signed-in account. A forged link is a 404, like an unknown page."""
    try:
        grant = feedback.read_token(token, report_id=pk)
    except ReportRefused:
        raise Http404(_("This link is not valid.")) from None
    return _detail(request, city, pk, grant=grant)


def _detail(
    request: HttpRequest,
    city: Municipality,
    pk: int,
    *,
    grant: feedback.Grant | None = None,
    errors: dict[str, str] | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    report = selectors.report_page(pk) if pk < 2**63 else None  # larger ids overflow the database integer
    if report is None or report.municipality_id != city.pk:
        raise Http404(_("There is no report with this number."))
    if selectors.withheld(report, city):
        return render(request, "reports/withheld.html", {"city": city, "report": report})
    today = clock.today(ZoneInfo(city.timezone))
    attributes = list(report.category.attributes.all())
    loop = feedback.loop_for(report, user=request.user, grant=grant)
    context = {
        "city": city,
        "report": report,
        "status": Status(report.status),
        "moderation_overdue": report.status == Status.SUBMITTED and today > report.moderation_due,
        "deadline_overdue": report.is_open and today > report.deadline,
        "attribute_values": answers(attributes, report.attributes),
        "timeline": _public_timeline(report),
        # Private photos (hidden, or of a rejected report) are not in the public media tree and never
        # named to the public (reports.photo_store); the fix's photos are shown as such.
        "photos": [p for p in report.photos.all() if p.is_public and p.kind != Photo.Kind.PROOF],
        "proof_photos": [p for p in report.photos.all() if p.is_public and p.kind == Photo.Kind.PROOF],
        "map_config": _map_config(city) | {"point": [report.lat, report.lon], "pointZoom": 16},
        "loop": loop,
        "token": grant.token if grant else "",
        "loop_errors": errors or {},
        "posted": posted or {},
        "scores": range(1, 6),
        "retention": selectors.contact_retention(report) if _is_author(request.user, report, grant) else None,
    }
    return render(request, "reports/detail.html", context, status=status)


def _is_author(user, report: Report, grant: feedback.Grant | None) -> bool:
    """Only the author learns when the report's contact details go (whether it holds any is theirs)."""
    if grant is not None:
        return True
    return bool(getattr(user, "is_authenticated", False) and is_report_author(user, report))


def _public_timeline(report: Report) -> list[dict]:
    """Public history only: the private note never leaves this function, and an answer waiting for
    moderation (or sent back) is not shown until a moderator publishes it."""
    timeline = []
    for event in report.events.all():
        title = str(EVENT_TITLES[event.action]) if event.action in EVENT_TITLES else ""
        if event.action == "confirm" and (event.changes or {}).get(feedback.AUTO_MARK):
            title = str(AUTO_CONFIRM_TITLE)
        published = event.note_state == ReportEvent.NoteState.PUBLISHED
        timeline.append(
            {
                "at": event.at,
                "title": title,
                "status": Status(event.to_status).label
                if event.to_status in Status.values
                else event.to_status,
                "changed": event.from_status != event.to_status,
                "note": event.public_note if published else "",
                "department": event.department.label if event.department else "",
            }
        )
    return timeline


# --- the citizen's answer: confirm, dispute, rate --------------------------------------------------
def _grant_from_post(request: HttpRequest, pk: int) -> feedback.Grant | None:
    token = request.POST.get("token", "").strip()
    return feedback.read_token(token, report_id=pk) if token else None


def _after_answer(pk: int, grant: feedback.Grant | None) -> HttpResponse:
    if grant is not None:
        return redirect("report-answer", pk=pk, token=grant.token)
    return redirect("report-detail", pk=pk)


def _refused(request: HttpRequest, city: Municipality, pk: int, exc: ReportRefused):
    if isinstance(exc, ReportNotFound):
        raise Http404(exc.message)
    return render(
        request,
        "reports/answer_refused.html",
        {"city": city, "report_id": pk, "message": exc.message},
        status=403,
    )


def _by_field(exc: ReportInvalid) -> dict[str, str]:
    return {name: " ".join(messages) for name, messages in exc.message_dict.items()}


def _report_or_404(city: Municipality, pk: int) -> Report:
    report = (
        Report.objects.select_related("municipality", "category").filter(pk=pk, municipality=city).first()
        if pk < 2**63
        else None
    )
    if report is None:
        raise Http404(_("There is no report with this number."))
    return report


@ratelimit.per_client("feedback")
@require_POST
@with_city
def report_confirm(request: HttpRequest, city: Municipality, pk: int) -> HttpResponse:
    report = _report_or_404(city, pk)
    try:
        grant = _grant_from_post(request, pk)
        feedback.feedback_confirm(report=report, user=request.user, grant=grant)
    except ReportRefused as exc:
        return _refused(request, city, pk, exc)
    messages.success(request, _("Thank you: the fix is confirmed. You can rate how it was dealt with."))
    return _after_answer(pk, grant)


@ratelimit.per_client("feedback")
@require_POST
@with_city
def report_dispute(request: HttpRequest, city: Municipality, pk: int) -> HttpResponse:
    report = _report_or_404(city, pk)
    reason = request.POST.get("reason", "")
    try:
        grant = _grant_from_post(request, pk)
        report = feedback.feedback_dispute(report=report, reason=reason, user=request.user, grant=grant)
    except ReportInvalid as exc:
        return _detail(
            request,
            city,
            pk,
            grant=grant,
            errors=_by_field(exc),
            posted={"reason": reason[:4000]},
            status=400,
        )
    except ReportRefused as exc:
        return _refused(request, city, pk, exc)
    messages.success(
        request,
        _("Thank you: the report is reopened. The department must deal with it by %(date)s.")
        % {"date": formats.date_format(report.deadline, "DATE_FORMAT")},
    )
    return redirect("report-detail", pk=pk)


@ratelimit.per_client("feedback")
@require_POST
@with_city
def report_rate(request: HttpRequest, city: Municipality, pk: int) -> HttpResponse:
    report = _report_or_404(city, pk)
    score, comment = request.POST.get("score", ""), request.POST.get("comment", "")
    try:
        grant = _grant_from_post(request, pk)
        feedback.feedback_rate(report=report, score=score, comment=comment, user=request.user, grant=grant)
    except ReportInvalid as exc:
        return _detail(
            request,
            city,
            pk,
            grant=grant,
            errors=_by_field(exc),
            posted={"score": score[:2], "comment": comment[:4000]},
            status=400,
        )
    except ReportRefused as exc:
        return _refused(request, city, pk, exc)
    messages.success(request, _("Thank you for your rating."))
    return redirect("report-detail", pk=pk)


# --- the report form --------------------------------------------------------------------------------
def _categories(city: Municipality) -> list[Category]:
    # With their attributes (prefetched by the selector, in the Attribute model's order).
    return list(city_selectors.active_categories(city))


def _report_form(city: Municipality, *args, **kwargs) -> ReportForm:
    """The form for this city, offering the categories in season on its local date."""
    today = clock.today(ZoneInfo(city.timezone))
    return ReportForm(*args, categories=_categories(city), today=today, **kwargs)


@csrf_exempt
@ratelimit.per_client("report")
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The upload limits must be in place before anything reads the body, and the CSRF check reads it;
    so the check runs after them, in _report_new. A body Django itself refuses (too many fields or
    files, too much text) is answered with the empty form and a message, not an error page."""
    limits = None
    if request.method == "POST":
        limits = PhotoLimits(request)
        request.upload_handlers.insert(0, limits)
        try:
            request.POST  # noqa: B018 - parse now, under our handlers
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, SuspiciousOperation):
            return _refused_upload(request)
    return _report_new(request, limits)


@with_city
def _refused_upload(request: HttpRequest, city: Municipality) -> HttpResponse:
    form = _report_form(city)
    form.media_errors.append(
        _("The form was too large to accept. Attach at most %(n)d photos of up to %(mb)d MB each.")
        % {"n": settings.GOROD_MAX_PHOTOS, "mb": settings.GOROD_PHOTO_MAX_BYTES >> 20}
    )
    return _render_form(request, city, form, status=400)


@csrf_protect
@with_city
def _report_new(request: HttpRequest, city: Municipality, limits: PhotoLimits | None) -> HttpResponse:
    if request.method != "POST":
        initial = {}
        if request.GET.get("category", "").isdigit():
            initial["category"] = request.GET["category"]
        return _render_form(request, city, _report_form(city, initial=initial))

    if honeypot.caught(request):
        return redirect("reports-list")
    form = _report_form(city, request.POST)
    category = form.selected_category()
    submitted_attributes = read_attributes(request.POST, category)
    upload_errors = limits.errors() if limits else []
    try:
        # Django's parser closes the file before one it skips (PhotoLimits: one too many): that one is
        # left out like the skipped one, and the error says how many can be attached.
        uploads = [f.read() for f in request.FILES.getlist("photos") if not f.closed]
    finally:
        for f in request.FILES.getlist("photos"):
            f.close()
    kept, kept_photos, lost = held_photos.take(
        request.session,
        offered=request.POST.getlist("held_photo"),
        removed=request.POST.getlist("held_photo_remove"),
    )
    if lost:
        form.media_errors.append(
            _(
                "A photo you chose before is no longer kept (we keep them for %(hours)d hours). "
                "Choose it again."
            )
            % {"hours": max(1, settings.GOROD_HELD_PHOTOS_TTL_S // 3600)}
        )

    def try_again() -> HttpResponse:
        # This try's photos are kept for the next one (a refused file is not; its error says why).
        now_held, _refused = held_photos.hold(request.session, uploads)
        return _render_form(request, city, form, submitted_attributes, held=kept + now_held)

    if not form.is_valid() or upload_errors or lost:
        form.media_errors += upload_errors
        return try_again()

    data = form.cleaned_data
    photos = kept_photos + uploads
    new = NewReport(
        category=category,
        lat=data["lat"],
        lon=data["lon"],
        address=data["address"],
        description=data["description"],
        attributes=submitted_attributes,
        photos=photos,
        contact_name=data["name"],
        contact_email=data["email"],
        contact_phone=data["phone"],
        show_name=data["show_name"],
        anonymous=data["anonymous"],
    )
    try:
        report = report_create(
            municipality=city,
            data=new,
            author=request.user if request.user.is_authenticated else None,
            source=Report.Source.WEB,
        )
    except ReportInvalid as exc:
        form.add_service_errors(exc.message_dict)
        return try_again()

    held_photos.release(request.session, kept)  # filed: they are the report's photos now
    messages.success(request, _success_message(report))
    return redirect("report-detail", pk=report.pk)


def _success_message(report) -> str:
    due = {
        "id": report.pk,
        "moderation": formats.date_format(report.moderation_due, "DATE_FORMAT"),
        "deadline": formats.date_format(report.deadline, "DATE_FORMAT"),
    }
    if report.department is None:
        return (
            _(
                "Thank you! Report #%(id)s is filed. A moderator will check it by %(moderation)s and send it "
                "to the department responsible, which must deal with it by %(deadline)s."
            )
            % due
        )
    return _(
        "Thank you! Report #%(id)s has been sent to %(department)s. A moderator will check it by "
        "%(moderation)s; the department must deal with it by %(deadline)s."
    ) % (due | {"department": report.department.label})


def _render_form(
    request: HttpRequest,
    city: Municipality,
    form: ReportForm,
    submitted_attributes: dict | None = None,
    status: int = 200,
    held: list[str] | None = None,
) -> HttpResponse:
    category = form.selected_category()
    context = {
        "city": city,
        "form": form,
        "category": category,
        "attribute_fields": attribute_fields(category, submitted_attributes, form.attribute_errors),
        "error_summary": form.error_summary() if form.is_bound or form.media_errors else [],
        "held_photos": [{"token": t, "url": reverse("report-new-held-photo", args=[t])} for t in held or []],
        "max_photos": settings.GOROD_MAX_PHOTOS,
        "max_photo_mb": settings.GOROD_PHOTO_MAX_BYTES >> 20,
        "map_config": _map_config(city),
        "duplicates": _duplicates_for(city, category, form.data.get("lat"), form.data.get("lon"))
        if form.is_bound
        else None,
    }
    return render(request, "reports/form.html", context, status=status)


@require_GET
def report_held_photo(request: HttpRequest, token: str) -> HttpResponse:
    """A photo kept for this browser session's report form (its thumbnail); a 404 for any other."""
    content = held_photos.read(request.session, token)
    if content is None:
        raise Http404(_("This photo is no longer kept."))
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@with_city
def report_attributes(request: HttpRequest, city: Municipality) -> HttpResponse:
    """HTMX partial: the chosen category's attribute fields, its description and, out of band, the
    anonymous checkbox when the category allows anonymous reports."""
    category = _category_from(request.GET.get("category"), _categories(city))
    return render(
        request,
        "reports/_attributes.html",
        {"category": category, "attribute_fields": attribute_fields(category), "oob": True},
    )


@require_GET
@with_city
def report_duplicates(request: HttpRequest, city: Municipality) -> HttpResponse:
    """HTMX partial: open reports of the chosen category within 50 m of the pin."""
    category = _category_from(request.GET.get("category"), list(city_selectors.active_categories(city)))
    duplicates = _duplicates_for(city, category, request.GET.get("lat"), request.GET.get("lon"))
    return render(request, "reports/_duplicates.html", {"duplicates": duplicates})


def _category_from(raw: str | None, categories: list[Category]) -> Category | None:
    by_id = {str(c.pk): c for c in categories}
    return by_id.get((raw or "").strip())


def _duplicates_for(city: Municipality, category: Category | None, lat_raw, lon_raw) -> list | None:
    """None when there is nothing to look for yet; otherwise the list (maybe empty)."""
    try:
        lat, lon = float(str(lat_raw).replace(",", ".")), float(str(lon_raw).replace(",", "."))
    except (TypeError, ValueError):
        return None
    if category is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    found = selectors.nearby_open_duplicates(
        category=category, lat=lat, lon=lon, among=selectors.public_reports(city)
    )
    return [{"report": r, "status": Status(r.status)} for r in found]
