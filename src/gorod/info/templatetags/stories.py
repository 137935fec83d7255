"""`{% my_stories user %}`: a resident's own stories with their state, for the account page (privacy's
template loads this library: a template dependency, not an import, so the layers hold)."""

from __future__ import annotations

from django import template

from gorod.info.stories.models import Story

register = template.Library()


@register.inclusion_tag("info/stories/_mine.html")
def my_stories(user) -> dict:
    stories = (
        list(Story.objects.filter(author_id=user.pk).select_related("hide_reason").order_by("-created")[:50])
        if getattr(user, "is_authenticated", False)
        else []
    )
    return {"stories": stories}
