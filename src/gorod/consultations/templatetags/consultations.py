"""Template helpers of engagement projects: staff Markdown as safe HTML, and the home page's block (the
home page belongs to reports, which may not import this app; a template tag is how it asks)."""

from __future__ import annotations

from django import template

from gorod.consultations import selectors, text

register = template.Library()


@register.filter
def markdown(value: str):
    return text.render(value)


@register.inclusion_tag("consultations/_home.html")
def projects_on_home(city):
    return {"projects": selectors.for_home(city) if city is not None else []}
