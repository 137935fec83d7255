"""The survey's pages: the form (GET) and its answers (POST, the same URL so the demand funnel counts
"started" and "finished"), the results as SVG charts with their tables, and the CSV for staff."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gorod.consultations.errors import Refused
from gorod.consultations.phases import Action
from gorod.consultations.surveys import export, selectors, services
from gorod.consultations.surveys.models import SurveyQuestion
from gorod.consultations.views.common import map_config, with_city
from gorod.consultations.views.contribution import module_or_404, refusal_for
from gorod.core import ratelimit

KIND = services.KIND


def _parse(request: HttpRequest, questions: list[SurveyQuestion]) -> dict[int, list[str]]:
    """The form's fields → raw answers per question (services check them). A ranking posts one place per
    option (q<id>-<index>), a point its latitude and longitude."""
    answers: dict[int, list[str]] = {}
    for q in questions:
        if q.kind == SurveyQuestion.Kind.RANKING:
            answers[q.pk] = [request.POST.get(f"q{q.pk}-{i}", "") for i in range(len(q.options))]
        elif q.kind == SurveyQuestion.Kind.POINT:
            answers[q.pk] = [request.POST.get(f"q{q.pk}-lat", ""), request.POST.get(f"q{q.pk}-lon", "")]
        else:
            answers[q.pk] = request.POST.getlist(f"q{q.pk}")
    return answers


def _with_given(questions: list[SurveyQuestion], given: dict[int, list[str]]) -> list[SurveyQuestion]:
    """Each question with what the person sent (after a refusal the form comes back filled in, so one
    mistake does not cost every answer): `given` as sent, and `rows` pairing options or places with it."""
    for q in questions:
        sent = given.get(q.pk, [])
        q.given = sent  # type: ignore[attr-defined]
        if q.kind == SurveyQuestion.Kind.RANKING:
            places = [str(p) for p in range(1, len(q.options) + 1)]
            q.rows = [  # type: ignore[attr-defined]
                (i, option, sent[i] if i < len(sent) else "", places) for i, option in enumerate(q.options)
            ]
        elif q.kind == SurveyQuestion.Kind.SCALE:
            q.rows = [(str(v), str(v) in sent) for v in q.scale_values]  # type: ignore[attr-defined]
        else:
            q.rows = [(str(i), o, str(i) in sent) for i, o in enumerate(q.options)]  # type: ignore[attr-defined]
    return questions


@require_http_methods(["GET", "POST"])
@ratelimit.per_client("contribution", methods=("POST",))
@with_city
def page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    questions = selectors.questions(module)
    error: Refused | None = None
    given: dict[int, list[str]] = {}
    if request.method == "POST":
        given = _parse(request, questions)
        try:
            services.response_submit(module=module, user=request.user, answers=given)
        except Refused as exc:
            error = exc
        else:
            messages.success(request, _("Thank you: your answers are counted."))
            return redirect(reverse("consultations:survey-results", args=[slug, pk]))
    return render(
        request,
        "consultations/surveys/page.html",
        {
            "city": city,
            "module": module,
            "project": module.phase.project,
            "questions": _with_given(questions, given),
            "answered": selectors.has_answered(module, request.user),
            "refusal": refusal_for(request, module, Action.CONTRIBUTE),
            "error": error,
            "map_config": map_config(city),
        },
        status=400 if error else 200,
    )


@require_GET
@with_city
def results(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    staff = request.user.has_perm("consultations.view_staff")
    total, per_question = selectors.results(module, with_texts=staff)
    return render(
        request,
        "consultations/surveys/results.html",
        {
            "city": city,
            "module": module,
            "project": module.phase.project,
            "total": total,
            "results": per_question,
            "staff": staff,
        },
    )


@require_GET
@with_city
def export_csv(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse | StreamingHttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    if not request.user.has_perm("consultations.view_staff"):
        return HttpResponse(_("Only the city's staff download the responses."), status=403)
    response = StreamingHttpResponse(export.rows(module), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{module.pk}.csv"'
    return response
