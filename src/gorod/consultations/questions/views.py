"""The Q&A module's page: the questions with their official answers, the form to ask, upvotes; staff
answer in place. Views parse, call one service, and go back to the page with a message."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gorod.consultations.phases import Action
from gorod.consultations.questions import selectors, services
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
        "consultations/questions/page.html",
        {
            "city": city,
            "module": module,
            "project": module.phase.project,
            "questions": list(selectors.module_questions(module, user=request.user, order=order)),
            "order": order,
            "ask_refusal": refusal_for(request, module, Action.CONTRIBUTE),
            "may_vote": refusal_for(request, module, Action.VOTE) is None,
            "may_answer": request.user.has_perm("consultations.answer"),
            "may_moderate": request.user.has_perm("consultations.moderate"),
        },
    )


@require_POST
@ratelimit.per_client("contribution")
@with_city
def ask(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    return act(
        request,
        module,
        lambda: services.question_ask(module=module, user=request.user, text=request.POST.get("text", "")),
        _("Your question is published. You will see the city's answer here."),
        "questions",
    )


def _question(module, qid: int):
    question = selectors.question_of(module, qid)
    if question is None:
        raise Http404(_("No such question."))
    question.module = module
    return question


@require_POST
@ratelimit.per_client("contribution_vote")
@with_city
def upvote(request: HttpRequest, city, slug: str, pk: int, qid: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    question = _question(module, qid)
    return act(
        request,
        module,
        lambda: services.question_upvote(question=question, user=request.user),
        _("Upvoted."),
        f"question-{question.pk}",
    )


@require_POST
@ratelimit.per_client("contribution")
@with_city
def answer(request: HttpRequest, city, slug: str, pk: int, qid: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    question = _question(module, qid)
    return act(
        request,
        module,
        lambda: services.answer_post(question=question, user=request.user, text=request.POST.get("text", "")),
        _("Your answer is published."),
        f"question-{question.pk}",
    )
