from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gorod.info.guides import DEFAULT_LANGUAGE, LANGUAGES, SECTIONS, load_guide


def _language() -> str:
    language = (get_language() or DEFAULT_LANGUAGE)[:2]
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


# The headings of the index's sections and audiences (guides.SECTIONS); an audience alone in its section
# has no heading of its own.
HEADINGS = {
    "residents": _("For residents"),
    "staff": _("For city staff"),
    "experts": _("For outside experts"),
    "all-staff": _("Everyone in the back office"),
    "moderators": _("Moderators"),
    "departments": _("Department staff and heads"),
    "editors": _("News editors"),
    "consultations": _("Consultations staff"),
    "auditors": _("Auditors"),
    "admins": _("City administrators"),
}


def help_index(request: HttpRequest) -> HttpResponse:
    language = _language()
    sections = [
        (
            name,
            HEADINGS[name],
            [
                (
                    HEADINGS[audience] if len(audiences) > 1 else "",
                    [g for g in (load_guide(slug, language) for slug in slugs) if g is not None],
                )
                for audience, slugs in audiences
            ],
        )
        for name, audiences in SECTIONS
    ]
    return render(request, "info/index.html", {"sections": sections})


def _guide_or_404(slug: str):
    guide = load_guide(slug, _language())
    if guide is None:
        raise Http404("no such guide")
    return guide


def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "info/page.html", {"guide": _guide_or_404(slug)})


def help_print(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "info/print.html", {"guide": _guide_or_404(slug)})
