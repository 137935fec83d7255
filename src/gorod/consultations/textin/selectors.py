"""Reads of text-in: the keyword table with its counts, recent messages, bans, a project's signs."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from gorod.consultations.models import Module
from gorod.consultations.textin.models import Keyword, NumberBan, Outcome, TextMessage

RECENT = 100


def keywords(municipality) -> QuerySet[Keyword]:
    return (
        Keyword.objects.filter(municipality=municipality)
        .select_related("module__phase__project")
        .annotate(
            received=Count("messages"),
            accepted=Count("messages", filter=Q(messages__outcome=Outcome.ACCEPTED)),
        )
        .order_by("word")
    )


def recent_messages(municipality, limit: int = RECENT) -> list[TextMessage]:
    return list(
        TextMessage.objects.filter(municipality=municipality)
        .select_related("keyword", "idea", "question")
        .order_by("-created", "-pk")[:limit]
    )


def bans(municipality) -> QuerySet[NumberBan]:
    return NumberBan.objects.filter(municipality=municipality, lifted_at__isnull=True).order_by("-created")


def target_modules(municipality) -> QuerySet[Module]:
    """Modules a keyword may point at: idea walls and Q&A modules of the city's projects."""
    return (
        Module.objects.filter(phase__project__municipality=municipality, kind__in=("idea_wall", "questions"))
        .select_related("phase__project")
        .order_by("phase__project__title", "phase__starts", "position", "pk")
    )


def project_keywords(project) -> QuerySet[Keyword]:
    return (
        Keyword.objects.filter(module__phase__project=project, active=True)
        .select_related("module__phase")
        .order_by("word")
    )


def message_of(municipality, pk: int) -> TextMessage | None:
    return TextMessage.objects.filter(municipality=municipality, pk=pk).first()
