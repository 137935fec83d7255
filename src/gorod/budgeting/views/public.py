"""Public pages: the list of processes, a process with its timeline, ideas (list, page, submit,
support), expert opinions and the lottery."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gorod.accounts.access import account_required
from gorod.budgeting import phases, selectors
from gorod.budgeting.errors import Refused
from gorod.budgeting.forms import IdeaForm
from gorod.budgeting.models import Candidate, Lottery, Project
from gorod.budgeting.services import idea_submit, idea_support
from gorod.budgeting.views.common import base_context, process_or_404
from gorod.city import selectors as city_selectors
from gorod.core import ratelimit


@require_GET
def process_list(request: HttpRequest) -> HttpResponse:
    city = city_selectors.default_municipality()
    if city is None:
        return render(request, "no_city.html", status=404)
    processes = list(selectors.published_processes(city))
    rows = [(p, phases.current_phase(p.phase_list()), selectors.timeline(p)) for p in processes]
    return render(request, "budgeting/list.html", {"city": city, "rows": rows})


@require_GET
def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_or_404(slug)
    context = base_context(
        request,
        process,
        steps=selectors.timeline(process),
        budgets=selectors.budgets(process),
        counts={
            "ideas": process.projects.count(),
            "ballot": process.projects.filter(
                status__in=[Project.Status.ON_BALLOT, Project.Status.FUNDED, Project.Status.NOT_FUNDED]
            ).count(),
        },
    )
    return render(request, "budgeting/process.html", context)


@require_GET
def idea_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_or_404(slug)
    district = request.GET.get("district", "")[:60]
    status = request.GET.get("status", "")
    if status not in Project.Status.values:
        status = ""
    ideas = list(selectors.ideas(process, district_slug=district, status=status))
    context = base_context(
        request,
        process,
        ideas=ideas,
        supported=selectors.supported_by(request.user, process),
        budgets=selectors.budgets(process),
        district=district,
        status=status,
        statuses=Project.Status.choices,
    )
    return render(request, "budgeting/ideas.html", context)


@require_GET
def idea_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = process_or_404(slug)
    project = selectors.project(process, code)
    if project is None:
        raise Http404(_("No such idea."))
    context = base_context(
        request,
        process,
        project=project,
        supported=project.pk in selectors.supported_by(request.user, process),
        milestones=list(project.milestones.all()),
        reviews=list(project.reviews.all()),
    )
    return render(request, "budgeting/idea.html", context)


@ratelimit.per_client("idea")
@account_required
@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_or_404(slug)
    if not request.user.has_perm("budgeting.submit_idea", process):
        messages.error(request, _("Ideas are not being collected now."))
        return redirect("budgeting:process", slug=process.slug)
    form = IdeaForm(request.POST or None, process=process)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                project = idea_submit(process=process, author=request.user, **form.service_kwargs())
            except Refused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("Thank you! Your idea is published."))
                return redirect("budgeting:idea", slug=process.slug, code=project.code)
        status = 400
    return render(
        request, "budgeting/idea_form.html", base_context(request, process, form=form), status=status
    )


@ratelimit.per_client("idea_support")
@require_POST
def idea_support_view(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = process_or_404(slug)
    project = selectors.project(process, code)
    if project is None:
        raise Http404(_("No such idea."))
    if not request.user.is_authenticated:
        return redirect(f"/account/login/?next=/pb/{process.slug}/ideas/{project.code}/")
    try:
        idea_support(project=project, user=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You support this idea."))
    return redirect("budgeting:idea", slug=process.slug, code=project.code)


@require_GET
def reviews(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_or_404(slug)
    context = base_context(
        request,
        process,
        reviews=list(selectors.public_reviews(process)),
        queue=list(selectors.review_queue(process))
        if request.user.has_perm("budgeting.review", process)
        else [],
    )
    return render(request, "budgeting/reviews.html", context)


@require_GET
def lottery(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_or_404(slug)
    draw = Lottery.objects.filter(process=process).first()
    candidates = list(draw.candidates.order_by("ticket")) if draw else []
    drawn = sorted((c for c in candidates if c.position), key=lambda c: c.position or 0)
    context = base_context(
        request,
        process,
        lottery=draw,
        candidates=candidates,
        members=[c for c in drawn if c.outcome == Candidate.Outcome.MEMBER],
        reserves=[c for c in drawn if c.outcome == Candidate.Outcome.RESERVE],
        tickets_text="\n".join(sorted(c.ticket for c in candidates)),
    )
    return render(request, "budgeting/lottery.html", context)
