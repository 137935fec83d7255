"""Pages of a map-feedback module: the module (map, form, latest contributions), agree, the heatmap and
the export as GeoJSON, and the staff page (questions and tags, paper responses, hide and show). Each view
parses, calls one selector or service, renders; a refusal comes back as a message and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gorod.accounts.access import staff_required
from gorod.consultations import access
from gorod.consultations.errors import Refused
from gorod.consultations.map_feedback import questions, selectors, services
from gorod.consultations.map_feedback.models import MapContribution, Sentiment
from gorod.consultations.models import Module, Project
from gorod.consultations.phases import Action
from gorod.consultations.views.common import map_config, with_city
from gorod.core import ratelimit


def _module(request: HttpRequest, city, slug: str, pk: int) -> Module:
    """The map module with its phase and project in one query (not the project page's prefetches):
    published projects only, unless the person is staff."""
    modules = Module.objects.select_related("phase__project").filter(
        pk=pk, kind=services.KIND, phase__project__municipality=city, phase__project__slug=slug
    )
    if not request.user.has_perm("consultations.view_staff"):
        modules = modules.filter(phase__project__published=True)
    module = modules.first()
    if module is None:
        raise Http404(_("No such map."))
    return module


def _page_url(project: Project, module: Module) -> str:
    return reverse("consultations:map", args=[project.slug, module.pk])


def _fields(request: HttpRequest) -> dict:
    post = request.POST
    return {
        "geometry": post.get("geometry", ""),
        "lat": post.get("lat", ""),
        "lon": post.get("lon", ""),
        "sentiment": post.get("sentiment", ""),
        "comment": post.get("comment", ""),
        "answers": {k: v for k, v in post.items() if k.startswith("q") and k[1:].isdigit()},
        "tags": post.getlist("tags"),
    }


def _context(request: HttpRequest, city, project: Project, module: Module, **extra) -> dict:
    return {
        "city": city,
        "project": project,
        "module": module,
        "questions": questions.questions_of(module.settings),
        "tags": questions.tags_of(module.settings),
        "sentiments": Sentiment.choices,
        "map_config": map_config(
            city,
            area=project.area,
            heatmap=reverse("consultations:map-heatmap", args=[project.slug, module.pk]),
            labels={
                "more": _("Tap the map again to add corners."),
                "done": _("Marked on the map. Fill in the rest and send."),
                "cell": _("%(count)s contributions here, mean feeling %(mean)s of 5"),
            },
        ),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@ratelimit.per_client("contribution")
@with_city
def module_page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = _module(request, city, slug, pk)
    project = module.phase.project
    error, field, posted = "", "", {}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(_page_url(project, module))
        posted = _fields(request)
        try:
            services.contribution_add(module=module, user=request.user, **posted)
        except Refused as exc:
            error, field = exc.message, exc.field
        else:
            if module.phase.project.premoderated:
                messages.success(
                    request, _("Thank you: your feedback is on the map once a moderator has looked at it.")
                )
            else:
                messages.success(request, _("Thank you: your feedback is on the map."))
            return redirect(_page_url(project, module) + "#contributions")
    refusal = access.refusal(request.user, module, Action.CONTRIBUTE)
    status = 400 if error else 200
    context = _context(
        request,
        city,
        project,
        module,
        contributions=selectors.latest(module, user=request.user),
        counts=selectors.counts(module),
        refusal=refusal,
        can_vote=access.refusal(request.user, module, Action.VOTE) is None,
        error=error,
        error_field=field,
        posted=posted,
        can_manage=request.user.has_perm("consultations.manage"),
        may_moderate=request.user.has_perm("consultations.moderate"),
    )
    return render(request, "consultations/map_feedback/module.html", context, status=status)


@require_POST
@ratelimit.per_client("contribution_vote")
@with_city
def agree_view(request: HttpRequest, city, slug: str, pk: int, contribution: int) -> HttpResponse:
    module = _module(request, city, slug, pk)
    project = module.phase.project
    row = MapContribution.objects.filter(module=module, pk=contribution).first()
    if row is None:
        raise Http404(_("No such contribution."))
    row.module = module  # with its phase and project, already loaded
    if not request.user.is_authenticated:
        return redirect_to_login(_page_url(project, module))
    try:
        services.agree(contribution=row, user=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your agreement is counted."))
    return redirect(_page_url(project, module) + f"#c{row.pk}")


@require_GET
@with_city
def heatmap_view(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = _module(request, city, slug, pk)
    resolution = selectors.parse_resolution(request.GET.get("res"))
    response = HttpResponse(selectors.heatmap_json(module, resolution), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
@with_city
def export_view(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = _module(request, city, slug, pk)
    project = module.phase.project
    response = JsonResponse(
        selectors.export(module),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-map-{module.pk}.geojson"'
    return response


@require_http_methods(["GET", "POST"])
@staff_required
@with_city
def staff_page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    """Questions and tags, paper responses, hide and show: city administrators, past their second factor
    as in the back office."""
    if not request.user.has_perm("consultations.manage"):
        raise PermissionDenied
    module = _module(request, city, slug, pk)
    project = module.phase.project
    here = reverse("consultations:map-staff", args=[project.slug, module.pk])
    error, posted = "", {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "settings":
                services.settings_set(
                    module=module,
                    staff=request.user,
                    questions_text=request.POST.get("questions", ""),
                    tags_text=request.POST.get("tag_list", ""),
                )
                messages.success(request, _("The questions and tags are saved."))
            elif action == "paper":
                posted = _fields(request)
                services.paper_response_add(module=module, staff=request.user, **posted)
                messages.success(request, _("The paper response is on the map."))
            elif action in ("hide", "show"):
                row = MapContribution.objects.filter(
                    module=module, pk=request.POST.get("contribution") or 0
                ).first()
                if row is None:
                    raise Http404(_("No such contribution."))
                if action == "hide":
                    services.hide(contribution=row, staff=request.user, reason=request.POST.get("reason", ""))
                else:
                    services.show(contribution=row, staff=request.user)
                messages.success(request, _("Saved."))
            else:
                raise Refused(_("Unknown action."))
        except Refused as exc:
            error = exc.message
        else:
            return redirect(here)
    questions_text, tags_text = questions.as_text(module.settings)
    context = _context(
        request,
        city,
        project,
        module,
        contributions=selectors.latest(module, limit=100, staff=True),
        counts=selectors.counts(module),
        questions_text=questions_text,
        tags_text=tags_text,
        error=error,
        posted=posted,
    )
    return render(request, "consultations/map_feedback/staff.html", context, status=400 if error else 200)
