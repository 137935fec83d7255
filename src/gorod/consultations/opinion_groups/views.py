"""The opinion-groups page: the next statement to vote on, the form to add one, the groups as stored by
the worker (a scatter and a table), and every statement with one's own vote. Views parse, call one
service or selector, and go back to the page with a message."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from gorod.consultations.opinion_groups import selectors, services, svg
from gorod.consultations.opinion_groups.models import STATEMENT_MAX, Choice
from gorod.consultations.phases import Action
from gorod.consultations.views.common import with_city
from gorod.consultations.views.contribution import act, module_or_404, refusal_for
from gorod.core import ratelimit

KIND = services.KIND
DONE = {
    Choice.AGREE: _l("Counted: you agree."),
    Choice.DISAGREE: _l("Counted: you disagree."),
    Choice.PASS: _l("Counted: you pass on this one."),
}


@require_GET
@with_city
def page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    statements = selectors.module_statements(module, user=request.user)
    groups = selectors.groups_of(module)
    for group in groups.groups if groups else []:
        group.marker = svg.marker(group.number)  # type: ignore[attr-defined]
    vote_refusal = refusal_for(request, module, Action.VOTE)
    return render(
        request,
        "consultations/opinion_groups/page.html",
        {
            "city": city,
            "module": module,
            "project": module.phase.project,
            "statements": statements,
            "voted": sum(1 for s in statements if getattr(s, "my_vote", None) is not None),
            "votable": sum(1 for s in statements if not s.hidden and not s.awaiting),
            "next": selectors.next_statement(module, user=request.user) if vote_refusal is None else None,
            "groups": groups,
            "scatter": svg.scatter(
                groups.result.points,
                title=_("Participants placed by how they voted"),
                description_id="og-groups",
            )
            if groups and groups.groups
            else "",
            "choices": Choice,
            "statement_max": STATEMENT_MAX,
            "statement_min": services.STATEMENT_MIN,
            "post_refusal": refusal_for(request, module, Action.CONTRIBUTE),
            "vote_refusal": vote_refusal,
            "may_moderate": request.user.has_perm("consultations.moderate"),
        },
    )


@require_POST
@ratelimit.per_client("contribution")
@with_city
def add(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    return act(
        request,
        module,
        lambda: services.statement_add(module=module, user=request.user, text=request.POST.get("text", "")),
        _("Your statement is added; others can vote on it now."),
        "add",
    )


@require_POST
@ratelimit.per_client("contribution_vote")
@with_city
def vote(request: HttpRequest, city, slug: str, pk: int, sid: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    statement = selectors.statement_of(module, sid)
    if statement is None:
        raise Http404(_("No such statement."))
    statement.module = module
    raw = request.POST.get("choice", "")
    # Back to the next statement when voting from the card, to the list when changing a vote there.
    anchor = "vote" if request.POST.get("from") == "next" else f"statement-{statement.pk}"
    return act(
        request,
        module,
        lambda: services.vote_cast(statement=statement, user=request.user, choice=raw),
        _done(raw),
        anchor,
    )


def _done(raw: str) -> str:
    """The confirmation for a valid choice (the service refuses any other, with its own message)."""
    try:
        return str(DONE[Choice(int(raw))])
    except (ValueError, KeyError):
        return ""
