"""Template helpers of engagement projects: staff Markdown as safe HTML, and the home page's block (the
home page belongs to reports, which may not import this app; a template tag is how it asks)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from gorod.consultations import selectors, text

register = template.Library()


@register.filter
def markdown(value: str):
    return text.render(value)


@register.inclusion_tag("consultations/_home.html")
def projects_on_home(city):
    return {"projects": selectors.for_home(city) if city is not None else []}


@register.filter
def count_of(counts: dict, module) -> str:
    """What residents have said in `module`, from the view's counts.module_counts ("" when nothing)."""
    return counts.get(module.pk, "") if counts else ""


# A module kind → the name of its page's URL; kinds without a page of their own (information) are absent.
MODULE_PAGES = {
    "map_feedback": "consultations:map",
    "questions": "consultations:questions",
    "survey": "consultations:survey",
    "idea_wall": "consultations:ideas",
    "text_review": "consultations:text-review",
    "opinion_groups": "consultations:opinions",
    "model_3d": "consultations:model3d",
    "room": "consultations:room",
}


@register.filter
def module_url(module) -> str:
    name = MODULE_PAGES.get(module.kind)
    return reverse(name, args=[module.phase.project.slug, module.pk]) if name else ""
