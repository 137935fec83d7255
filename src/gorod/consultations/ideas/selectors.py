"""Reads of the idea wall: a module's ideas with support counts and comments in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Value

from gorod.consultations.contributions import visible_to
from gorod.consultations.ideas.models import Idea, IdeaComment, IdeaSupport


def module_ideas(module, *, user, order: str = "top") -> QuerySet[Idea]:
    mine = (
        Exists(IdeaSupport.objects.filter(idea=OuterRef("pk"), user=user.pk))
        if user.is_authenticated
        else Value(False)
    )
    ideas = (
        Idea.objects.filter(module=module)
        .filter(visible_to(user))
        .annotate(support_count=Count("supports", distinct=True), supported=mine)
        .prefetch_related(
            Prefetch(
                "comments", queryset=IdeaComment.objects.filter(visible_to(user)).order_by("created", "id")
            )
        )
    )
    if order == "new":
        return ideas.order_by("-created", "-id")
    return ideas.order_by("-support_count", "-created", "-id")


def idea_of(module, pk: int) -> Idea | None:
    return Idea.objects.filter(module=module, pk=pk).select_related("module__phase__project").first()


def comment_of(module, pk: int) -> IdeaComment | None:
    return IdeaComment.objects.filter(idea__module=module, pk=pk).first()
