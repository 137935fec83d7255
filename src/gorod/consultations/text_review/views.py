"""The draft text's page: its paragraphs, each with its comments and the form to add one. Views parse, call
one service, and go back to the page with a message."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gorod.consultations.phases import Action
from gorod.consultations.text_review import selectors, services
from gorod.consultations.views.common import with_city
from gorod.consultations.views.contribution import act, module_or_404, refusal_for
from gorod.core import ratelimit

KIND = services.KIND


@require_GET
@with_city
def page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    return render(
        request,
        "consultations/text_review/page.html",
        {
            "city": city,
            "module": module,
            "project": module.phase.project,
            "paragraphs": list(selectors.module_paragraphs(module, user=request.user)),
            "comment_refusal": refusal_for(request, module, Action.COMMENT),
            "may_moderate": request.user.has_perm("consultations.moderate"),
        },
    )


@require_POST
@ratelimit.per_client("contribution")
@with_city
def comment(request: HttpRequest, city, slug: str, pk: int, para: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    paragraph = selectors.paragraph_of(module, para)
    if paragraph is None:
        raise Http404(_("No such paragraph."))
    paragraph.module = module
    return act(
        request,
        module,
        lambda: services.paragraph_comment(
            paragraph=paragraph, user=request.user, text=request.POST.get("text", "")
        ),
        _("Your comment is published."),
        f"paragraph-{paragraph.pk}",
    )
