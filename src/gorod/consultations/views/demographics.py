"""'About you' (Commonplace's demographics): optional questions a signed-in resident answers once. The
answers never show on any page per person; the back office sees counts per project (demographics.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gorod.consultations import demographics
from gorod.consultations.errors import Refused
from gorod.consultations.views.common import with_city


@require_http_methods(["GET", "POST"])
@with_city
def about_you(request: HttpRequest, city) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    questions = list(demographics.questions_for(city.pk))
    done = demographics.has_answered(request.user, city.pk)
    if request.method == "POST" and not done:
        answers = {q.key: request.POST.get(q.key, "") for q in questions}
        try:
            demographics.answers_save(municipality=city, user=request.user, answers=answers)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you. Your answers are counted only in totals."))
        return redirect("consultations:about-you")
    return render(
        request,
        "consultations/about_you.html",
        {"city": city, "questions": questions, "done": done, "min_group": demographics.MIN_GROUP},
    )
