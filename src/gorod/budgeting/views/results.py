"""The results page and its downloads (CSV, Pabulib)."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gorod.budgeting import exchange, selectors
from gorod.budgeting.models import Result
from gorod.budgeting.views.common import base_context, process_or_404, scope_key, scope_or_404


def _visible(request: HttpRequest, process) -> None:
    if not request.user.has_perm("budgeting.view_results", process) and not request.user.has_perm(
        "budgeting.manage", process
    ):
        raise PermissionDenied


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_or_404(slug)
    published = process.results_published is not None
    scopes = []
    if published:
        for budget in process.budgets.all():
            scopes.append((scope_key(budget), selectors.scope_results(process, budget)))
    context = base_context(
        request,
        process,
        published=published,
        scopes=scopes,
        rule_names=dict(Result._meta.get_field("rule").choices),  # type: ignore[arg-type]
        implementation=selectors.implementation(process) if published else [],
    )
    return render(request, "budgeting/results.html", context)


@require_GET
def results_csv(request: HttpRequest, slug: str, scope: str) -> HttpResponse:
    process = process_or_404(slug)
    _visible(request, process)
    budget = scope_or_404(process, scope)
    data = selectors.scope_results(process, budget)
    rules = [r.rule for r in data.compare]
    funded = {r.rule: set(r.funded) for r in data.compare}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["project_id", "title", "cost", "votes", "score", *[f"funded_{r}" for r in rules]])
    for bar in data.bars:
        title = bar.project.title
        if title[:1] in ("=", "+", "-", "@"):
            title = "'" + title  # a spreadsheet must not read a title as a formula
        writer.writerow(
            [
                bar.project.code,
                title,
                bar.project.cost,
                bar.votes,
                bar.score if bar.score is not None else "",
                *[int(bar.project.code in funded[r]) for r in rules],
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-{scope}.csv"'
    return response


@require_GET
def results_pabulib(request: HttpRequest, slug: str, scope: str) -> HttpResponse:
    process = process_or_404(slug)
    _visible(request, process)
    budget = scope_or_404(process, scope)
    response = HttpResponse(
        exchange.export_text(process, budget.district), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-{scope}.pb"'
    return response
