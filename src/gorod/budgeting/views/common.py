"""What every budgeting page needs: the process from the URL (404 otherwise), the scope from its key."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from gorod.budgeting import selectors
from gorod.budgeting.models import Budget, Process
from gorod.city import selectors as city_selectors


def process_or_404(slug: str) -> Process:
    process = selectors.process_by_slug(city_selectors.default_municipality(), slug)
    if process is None:
        raise Http404(_("No such budgeting process."))
    return process


def scope_or_404(process: Process, key: str) -> Budget:
    """key: "city" or a district slug, among the process's budgets."""
    for budget in process.budgets.all():
        if scope_key(budget) == key:
            return budget
    raise Http404(_("This process has no budget for that area."))


def scope_key(budget: Budget) -> str:
    return budget.district.slug if budget.district is not None else "city"


def base_context(request: HttpRequest, process: Process, **extra) -> dict:
    user = request.user
    context = {
        "city": process.municipality,
        "process": process,
        "current_kind": selectors.current_kind(process),
        "can": {
            "submit_idea": user.has_perm("budgeting.submit_idea", process),
            "support": user.has_perm("budgeting.support", process),
            "review": user.has_perm("budgeting.review", process),
            "vote": user.has_perm("budgeting.vote", process),
            "view_results": user.has_perm("budgeting.view_results", process),
            "track": user.has_perm("budgeting.track_implementation", process),
            "manage": user.has_perm("budgeting.manage", process),
        },
    }
    context.update(extra)
    return context
