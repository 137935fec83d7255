"""The stories desk in the back office (/backoffice/stories/): the pre-moderation queue, oldest first,
and each story with its actions — publish, hide with a reason, hide or show a photo. Moderators and city
administrators act; auditors read the same pages without the buttons. The info app sits beside the
backoffice app in the layers, so these pages live here and only borrow its layout template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gorod.accounts import access
from gorod.accounts.access import Desk
from gorod.city.models import RejectionReason
from gorod.info.stories import selectors
from gorod.info.stories.errors import StoryConflict, StoryInvalid
from gorod.info.stories.forms import HideForm
from gorod.info.stories.markdown import render_story
from gorod.info.stories.models import Story, StoryPhoto
from gorod.info.stories.services import story_hide, story_photo_set_hidden, story_publish

desk_view = access.desk_view("info.view_story_desk")


def _story(desk: Desk, pk: int) -> Story:
    story = selectors.for_desk(desk.municipality, pk if pk < 2**63 else 0)
    if story is None:
        raise Http404(_("There is no such story."))
    return story


@require_GET
@desk_view
def queue(request: HttpRequest, desk: Desk) -> HttpResponse:
    context = {
        "desk": desk,
        "pending": list(selectors.moderation_queue(desk.municipality)),
        "recent": list(selectors.recently_moderated(desk.municipality)),
    }
    return render(request, "info/stories/desk_queue.html", context)


def _detail(request: HttpRequest, desk: Desk, story: Story, form: HideForm | None = None, status=200):
    context = {
        "desk": desk,
        "story": story,
        "html": render_story(story.body),
        "photos": list(story.photos.all()),
        "reasons": RejectionReason.objects.filter(municipality=desk.municipality),
        "can_moderate": request.user.has_perm("info.moderate_story", story),
        "form": form or HideForm(),
    }
    return render(request, "info/stories/desk_story.html", context, status=status)


@require_GET
@desk_view
def detail(request: HttpRequest, desk: Desk, pk: int) -> HttpResponse:
    return _detail(request, desk, _story(desk, pk))


@require_POST
@desk_view
def action(request: HttpRequest, desk: Desk, pk: int, name: str) -> HttpResponse:
    story = _story(desk, pk)
    if not request.user.has_perm("info.moderate_story", story):
        raise PermissionDenied
    try:
        if name == "publish":
            story_publish(story=story, actor=request.user)
            messages.success(request, _("The story is published."))
        elif name == "hide":
            form = HideForm(request.POST)
            reason = None
            if form.is_valid():
                reason = RejectionReason.objects.filter(
                    municipality=desk.municipality, pk=form.cleaned_data["reason"]
                ).first()
            story_hide(story=story, actor=request.user, reason=reason, note=request.POST.get("note", ""))
            messages.success(request, _("The story is hidden; its page shows the reason."))
        elif name in ("hide-photo", "show-photo"):
            raw = request.POST.get("photo", "")
            found = StoryPhoto.objects.filter(
                story=story, pk=int(raw) if raw.isdigit() and len(raw) < 18 else 0
            ).first()
            if found is None:
                raise Http404(_("There is no such photo of this story."))
            story_photo_set_hidden(photo=found, actor=request.user, hidden=name == "hide-photo")
            messages.success(
                request, _("The photo is hidden.") if name == "hide-photo" else _("The photo is shown again.")
            )
        else:
            raise Http404(_("No such action."))
    except StoryInvalid as exc:
        form = HideForm(request.POST)
        form.is_valid()
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _detail(request, desk, story, form=form, status=400)
    except StoryConflict as exc:
        messages.error(request, str(exc))
    return redirect("stories-desk:story", pk=story.pk)
