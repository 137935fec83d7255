"""The public pages of engagement projects: the list with its filters, a project's page, a document's
pages, the events' iCal feed, follow and unfollow. Each view parses, calls one selector or service,
renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gorod.consultations import calendar, counts, selectors, services
from gorod.consultations.errors import Refused
from gorod.consultations.models import Status, Topic
from gorod.consultations.phases import Action
from gorod.consultations.views.common import map_config, project_or_404, with_city
from gorod.core import ratelimit


@require_GET
@with_city
def project_list(request: HttpRequest, city) -> HttpResponse:
    districts = list(city.districts.all())
    project_filter = selectors.parse_filter(request.GET, {d.slug for d in districts})
    projects = list(selectors.filtered(city, project_filter))
    points = [
        {
            "lat": p.center_lat,
            "lon": p.center_lon,
            "title": p.title,
            "url": reverse("consultations:project", args=[p.slug]),
        }
        for p in projects
        if p.center_lat is not None
    ]
    return render(
        request,
        "consultations/list.html",
        {
            "city": city,
            "projects": projects,
            "filter": project_filter,
            "districts": districts,
            "statuses": Status.choices,
            "topics": Topic.choices,
            "filtered": any((project_filter.district, project_filter.status, project_filter.topic)),
            "map_config": map_config(city, points=points) if points else None,
        },
    )


@require_GET
@with_city
def project_detail(request: HttpRequest, city, slug: str) -> HttpResponse:
    project = project_or_404(request, city, slug)
    phase_list = project.phase_list()
    modules = [
        (module, request.user.has_perm(f"consultations.{Action.CONTRIBUTE}", module))
        for phase in phase_list
        for module in phase.modules.all()
    ]
    module_counts = counts.module_counts(module for module, _can in modules)
    following = request.user.is_authenticated and project.followers.filter(user=request.user).exists()
    config = None
    if project.area:
        config = map_config(city, area=project.area, label=project.title)
    return render(
        request,
        "consultations/project.html",
        {
            "city": city,
            "project": project,
            "phases": phase_list,
            "modules": modules,
            "counts": module_counts,
            "counts_line": [module_counts[m.pk] for m, _can in modules if m.pk in module_counts],
            "map_config": config,
            "following": following,
            "can_manage": request.user.has_perm("consultations.manage"),
        },
    )


@require_GET
@with_city
def document_detail(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    project = project_or_404(request, city, slug)
    document = next((d for d in project.documents.all() if d.pk == pk), None)
    if document is None:
        raise Http404(_("No such document."))
    return render(
        request, "consultations/document.html", {"city": city, "project": project, "document": document}
    )


@require_GET
@with_city
def events_ics(request: HttpRequest, city, slug: str) -> HttpResponse:
    project = project_or_404(request, city, slug)
    url = request.build_absolute_uri(reverse("consultations:project", args=[project.slug]))
    response = HttpResponse(
        calendar.project_calendar(project, url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{project.slug}.ics"'
    return response


@require_POST
@ratelimit.per_client("follow")
@with_city
def follow_view(request: HttpRequest, city, slug: str) -> HttpResponse:
    project = project_or_404(request, city, slug)
    back = reverse("consultations:project", args=[project.slug]) + "#follow"
    try:
        if request.user.is_authenticated:
            services.follow_user(project=project, user=request.user, language=get_language() or "")
            messages.success(request, _("You follow this project: its updates will come by e-mail."))
        else:
            services.follow_by_email(
                project=project, email=request.POST.get("email", ""), language=get_language() or ""
            )
            # The same words whether or not the address was new: the form tells nobody who follows.
            messages.success(
                request,
                _("Thank you. If this address is new to us, we have sent it a message to confirm it first."),
            )
    except Refused as exc:
        messages.error(request, exc.message)
    return redirect(back)


@require_http_methods(["GET", "POST"])
@ratelimit.per_client("follow")
@with_city
def unfollow_view(request: HttpRequest, city, token: str) -> HttpResponse:
    """GET asks, POST acts: mail scanners open every link in a mail, and must not unsubscribe anyone."""
    if request.method == "GET":
        return render(request, "consultations/unfollow.html", {"city": city, "token": token})
    project = services.unfollow(token=token)
    return render(request, "consultations/unfollow.html", {"city": city, "done": True, "project": project})
