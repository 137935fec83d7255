"""Reads of the text review module: the draft's paragraphs with their comments and counts in two queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from gorod.consultations.contributions import visible_to
from gorod.consultations.text_review.models import Paragraph, ParagraphComment


def module_paragraphs(module, *, user=None) -> QuerySet[Paragraph]:
    """Hidden comments stay listed (their reason shows in place) but are not counted; comments awaiting
    pre-moderation are shown to their author only, and not counted."""
    return (
        Paragraph.objects.filter(module=module)
        .annotate(comment_count=Count("comments", filter=Q(comments__hidden=False, comments__awaiting=False)))
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=ParagraphComment.objects.filter(visible_to(user)).order_by("created", "id"),
            )
        )
        .order_by("position", "id")
    )


def paragraph_of(module, pk: int) -> Paragraph | None:
    return Paragraph.objects.filter(module=module, pk=pk).first()


def comment_of(module, pk: int) -> ParagraphComment | None:
    return ParagraphComment.objects.filter(paragraph__module=module, pk=pk).first()
