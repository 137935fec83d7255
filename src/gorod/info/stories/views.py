"""Public pages of residents' stories under /news/stories/: the index, a district's stories, an author's
stories, one story, the form for a new one, and the photos (served after a check, photos.py)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from gorod.accounts.access import account_required
from gorod.city.models import District, Municipality
from gorod.core import honeypot, ratelimit
from gorod.core.images import PhotoLimits
from gorod.info.stories import photos as photo_files
from gorod.info.stories import selectors
from gorod.info.stories.errors import StoryInvalid
from gorod.info.stories.forms import StoryForm
from gorod.info.stories.markdown import render_story
from gorod.info.stories.models import Story, StoryPhoto
from gorod.info.stories.services import NewStory, story_submit
from gorod.reports.views import with_city

# A key is 24 hex digits (services.author_key); anything else is not looked up.
_KEY_CHARS = frozenset("0123456789abcdef")


def _districts(city: Municipality):
    return District.objects.filter(municipality=city).order_by("name")


@require_GET
@with_city
def index(request: HttpRequest, city: Municipality) -> HttpResponse:
    stories = list(selectors.published(city)[: selectors.LIST_SIZE])
    return render(
        request, "info/stories/index.html", {"city": city, "stories": stories, "districts": _districts(city)}
    )


@require_GET
@with_city
def district_page(request: HttpRequest, city: Municipality, slug: str) -> HttpResponse:
    district = get_object_or_404(District, municipality=city, slug=slug)
    stories = list(selectors.published_in_district(district)[: selectors.LIST_SIZE])
    return render(
        request, "info/stories/district.html", {"city": city, "district": district, "stories": stories}
    )


@require_GET
@with_city
def author_page(request: HttpRequest, city: Municipality, key: str) -> HttpResponse:
    if len(key) != 24 or not set(key) <= _KEY_CHARS:
        raise Http404(_("There is no such author."))
    stories = list(selectors.published_by_author(city, key)[: selectors.LIST_SIZE])
    if not stories:
        raise Http404(_("There is no such author."))
    return render(
        request,
        "info/stories/author.html",
        {"city": city, "stories": stories, "signature": stories[0].signature},
    )


@require_GET
@with_city
def story_page(request: HttpRequest, city: Municipality, pk: int) -> HttpResponse:
    story = (
        Story.objects.filter(municipality=city, pk=pk if pk < 2**63 else 0)
        .select_related("district", "hide_reason")
        .first()
    )
    if story is None or not selectors.page_visible(request.user, story):
        raise Http404(_("There is no such story."))
    readable = selectors.may_read_text(request.user, story)
    context = {
        "city": city,
        "story": story,
        "readable": readable,
        "html": render_story(story.body) if readable else "",
        "photos": selectors.photos_for(request.user, story),
        "is_author": selectors.is_author(request.user, story),
        "is_desk": selectors.is_desk(request.user, story),
    }
    response = render(request, "info/stories/story.html", context)
    if not story.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    found = StoryPhoto.objects.filter(pk=pk if pk < 2**63 else 0).select_related("story").first()
    if found is None or not selectors.photo_visible(request.user, found):
        raise Http404(_("There is no such photo."))
    public = found.story.is_published and not found.hidden
    accel = settings.GOROD_PRIVATE_MEDIA_ACCEL
    response: HttpResponse | FileResponse
    if accel:
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(found.name)
    else:
        path = photo_files.path_of(found.name)
        if not path.is_file():
            raise Http404(_("There is no such photo."))
        response = FileResponse(path.open("rb"), content_type="image/jpeg")
    # A public photo may be cached a little; a hiding then takes effect within five minutes everywhere.
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


# --- the form --------------------------------------------------------------------------------------
@csrf_exempt
@ratelimit.per_client("story")
@account_required
@require_http_methods(["GET", "POST"])
def story_new(request: HttpRequest) -> HttpResponse:
    """As the report form: the photo limits must be installed before anything reads the body, and the
    CSRF check reads it, so that check runs after them (_story_new)."""
    limits = None
    if request.method == "POST":
        limits = PhotoLimits(request)
        request.upload_handlers.insert(0, limits)
        try:
            request.POST  # noqa: B018 - parse now, under our handlers
        except (SuspiciousOperation, MultiPartParserError):
            return _too_large(request)
    return _story_new(request, limits)


@with_city
def _too_large(request: HttpRequest, city: Municipality) -> HttpResponse:
    form = StoryForm(districts=_districts(city))
    form.add_error(
        None,
        _("The form was too large to accept. Attach at most %(n)d photos of up to %(mb)d MB each.")
        % {"n": settings.GOROD_MAX_PHOTOS, "mb": settings.GOROD_PHOTO_MAX_BYTES >> 20},
    )
    return _render_form(request, form, status=400)


def _render_form(request: HttpRequest, form: StoryForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "max_photos": settings.GOROD_MAX_PHOTOS,
        "max_photo_mb": settings.GOROD_PHOTO_MAX_BYTES >> 20,
    }
    return render(request, "info/stories/form.html", context, status=status)


@csrf_protect
@with_city
def _story_new(request: HttpRequest, city: Municipality, limits: PhotoLimits | None) -> HttpResponse:
    districts = _districts(city)
    if request.method != "POST":
        return _render_form(request, StoryForm(districts=districts))
    if honeypot.caught(request):
        return redirect("stories:index")
    form = StoryForm(request.POST, districts=districts)
    try:
        uploads = [f.read() for f in request.FILES.getlist("photos") if not f.closed]
    finally:
        for f in request.FILES.getlist("photos"):
            f.close()
    upload_errors = limits.errors() if limits else []
    if form.is_valid() and not upload_errors:
        data = form.cleaned_data
        try:
            story = story_submit(
                municipality=city,
                author=request.user,
                data=NewStory(
                    district=data["district"],
                    title=data["title"],
                    body=data["body"],
                    signature=data["signature"],
                    photos=uploads,
                ),
            )
        except StoryInvalid as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Thank you! Your story will appear once a moderator has read it."))
            return redirect("stories:story", pk=story.pk)
    for error in upload_errors:
        form.add_error("photos", error)
    if uploads or upload_errors:
        form.add_error("photos", _("Choose the photos again: they are not kept when the form has a problem."))
    return _render_form(request, form, status=400)
