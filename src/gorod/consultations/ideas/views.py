"""The idea wall's page: ideas with their support and comments, the form to post one. Views parse, call
one service, and go back to the page with a message."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gorod.consultations.ideas import selectors, services
from gorod.consultations.phases import Action
from gorod.consultations.views.common import with_city
from gorod.consultations.views.contribution import act, module_or_404, refusal_for
from gorod.core import ratelimit

KIND = services.KIND


@require_GET
@with_city
def page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    order = "new" if request.GET.get("order") == "new" else "top"
    return render(
        request,
        "consultations/ideas/page.html",
        {
            "city": city,
            "module": module,
            "project": module.phase.project,
            "ideas": list(selectors.module_ideas(module, user=request.user, order=order)),
            "order": order,
            "post_refusal": refusal_for(request, module, Action.CONTRIBUTE),
            "may_vote": refusal_for(request, module, Action.VOTE) is None,
            "may_comment": refusal_for(request, module, Action.COMMENT) is None,
            "may_moderate": request.user.has_perm("consultations.moderate"),
        },
    )


@require_POST
@ratelimit.per_client("contribution")
@with_city
def post(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    return act(
        request,
        module,
        lambda: services.idea_post(
            module=module,
            user=request.user,
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
        ),
        _("Your idea is on the wall."),
        "ideas",
    )


def _idea(module, iid: int):
    idea = selectors.idea_of(module, iid)
    if idea is None:
        raise Http404(_("No such idea."))
    idea.module = module
    return idea


@require_POST
@ratelimit.per_client("contribution_vote")
@with_city
def support(request: HttpRequest, city, slug: str, pk: int, iid: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    idea = _idea(module, iid)
    return act(
        request,
        module,
        lambda: services.idea_support(idea=idea, user=request.user),
        _("You support this idea."),
        f"idea-{idea.pk}",
    )


@require_POST
@ratelimit.per_client("contribution")
@with_city
def comment(request: HttpRequest, city, slug: str, pk: int, iid: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    idea = _idea(module, iid)
    return act(
        request,
        module,
        lambda: services.idea_comment(idea=idea, user=request.user, text=request.POST.get("text", "")),
        _("Your comment is published."),
        f"idea-{idea.pk}",
    )
