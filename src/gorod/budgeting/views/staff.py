"""Work on a process that is not voting: experts' opinions, implementation milestones, and the city
administrator's panel (apply phase changes, publish results, census list, lottery)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gorod.accounts.access import account_required, staff_required
from gorod.budgeting import selectors
from gorod.budgeting.eligibility.census import census_upload
from gorod.budgeting.errors import Refused
from gorod.budgeting.forms import CandidateForm, CensusForm, MilestoneForm, ReviewForm
from gorod.budgeting.models import Lottery
from gorod.budgeting.services import (
    candidate_add,
    lottery_commit,
    lottery_draw,
    lottery_setup,
    milestone_add,
    process_advance,
    results_publish,
    review_submit,
)
from gorod.budgeting.views.common import base_context, process_or_404

MAX_CENSUS_BYTES = 200 * 1024 * 1024


def _project_or_404(process, code: str):
    project = selectors.project(process, code)
    if project is None:
        raise Http404(_("No such idea."))
    return project


@account_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = process_or_404(slug)
    if not request.user.has_perm("budgeting.review", process):
        raise PermissionDenied
    project = _project_or_404(process, code)
    mine = project.reviews.filter(expert=request.user).first()
    initial = {"cost_estimate": project.cost}
    if mine:
        initial = {
            "feasible": "yes" if mine.feasible else "no",
            "cost_estimate": mine.cost_estimate,
            "opinion": mine.opinion,
        }
    form = ReviewForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                review_submit(project=project, expert=request.user, **form.cleaned_data)
            except Refused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("Your opinion is published."))
                return redirect("budgeting:reviews", slug=process.slug)
        status = 400
    return render(
        request,
        "budgeting/review_form.html",
        base_context(request, process, project=project, form=form),
        status=status,
    )


@account_required
@require_http_methods(["GET", "POST"])
def milestone(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = process_or_404(slug)
    if not request.user.has_perm("budgeting.track_implementation", process):
        raise PermissionDenied
    project = _project_or_404(process, code)
    form = MilestoneForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data.get("photo")
            try:
                milestone_add(
                    project=project,
                    actor=request.user,
                    date=form.cleaned_data["date"],
                    text=form.cleaned_data["text"],
                    money_spent=form.cleaned_data.get("money_spent") or 0,
                    photo=upload.read() if upload else None,
                )
            except Refused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("The milestone is published."))
                return redirect("budgeting:idea", slug=process.slug, code=project.code)
        status = 400
    return render(
        request,
        "budgeting/milestone_form.html",
        base_context(request, process, project=project, form=form),
        status=status,
    )


def _manager(request: HttpRequest, slug: str):
    process = process_or_404(slug)
    if not request.user.has_perm("budgeting.manage", process):
        raise PermissionDenied
    return process


@staff_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    process = _manager(request, slug)
    census_form = CensusForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "census":
        census_form = CensusForm(request.POST, request.FILES)
        if census_form.is_valid():
            upload = census_form.cleaned_data["file"]
            if upload.size > MAX_CENSUS_BYTES:
                census_form.add_error("file", _("The file is too large."))
            else:
                try:
                    text = upload.read().decode("utf-8-sig")
                    n = census_upload(process=process, data=text, replace=census_form.cleaned_data["replace"])
                except UnicodeDecodeError:
                    census_form.add_error("file", _("Save the file as UTF-8 CSV."))
                except Refused as exc:
                    census_form.add_error("file", str(exc))
                else:
                    messages.success(request, _("%(n)d residents are on the census list.") % {"n": n})
                    return redirect("budgeting:manage", slug=process.slug)
        status = 400
    draw = Lottery.objects.filter(process=process).first()
    context = base_context(
        request,
        process,
        census_form=census_form,
        candidate_form=CandidateForm(),
        lottery=draw,
        census_count=process.census.count(),
        codes_count=process.codes.count(),
        codes_used=process.codes.filter(used__isnull=False).count(),
        ballots_count=process.ballots.count(),
    )
    return render(request, "budgeting/manage.html", context, status=status)


@staff_required
@require_POST
def manage_action(request: HttpRequest, slug: str) -> HttpResponse:
    process = _manager(request, slug)
    action = request.POST.get("action", "")
    try:
        if action == "advance":
            done = process_advance(process=process)
            messages.success(request, _("Done: %(what)s.") % {"what": ", ".join(done) or _("nothing to do")})
        elif action == "publish":
            results_publish(process=process, actor=request.user)
            messages.success(request, _("The results are published."))
            return redirect("budgeting:results", slug=process.slug)
        elif action == "lottery-setup":
            seats, reserves = int(request.POST.get("seats", "0")), int(request.POST.get("reserves", "0"))
            lottery_setup(process=process, actor=request.user, seats=seats, reserves=reserves)
            messages.success(request, _("The lottery is set up."))
        elif action == "candidate":
            form = CandidateForm(request.POST)
            draw = Lottery.objects.filter(process=process).first()
            if draw is None or not form.is_valid():
                raise Refused(_("Set the lottery up and give the name to publish."))
            candidate_add(lottery=draw, actor=request.user, public_name=form.cleaned_data["public_name"])
            messages.success(request, _("The candidate is registered."))
        elif action in ("commit", "draw"):
            draw = Lottery.objects.filter(process=process).first()
            if draw is None:
                raise Refused(_("Set the lottery up first."))
            if action == "commit":
                lottery_commit(lottery=draw, actor=request.user)
                messages.success(request, _("The seed is committed: its hash is published."))
            else:
                lottery_draw(lottery=draw, actor=request.user)
                messages.success(request, _("The commission is drawn."))
                return redirect("budgeting:lottery", slug=process.slug)
        else:
            raise Refused(_("Unknown action."))
    except ValueError:
        messages.error(request, _("Enter whole numbers."))
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("budgeting:manage", slug=process.slug)
