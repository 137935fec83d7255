"""How much residents have said in each module of a project, for the project page ("312 pins · 41 questions
(5 unanswered)"): one grouped query per module kind present, whatever the number of modules, so the page
never counts row by row.

Only what everyone sees is counted: nothing hidden by a moderator or awaiting pre-moderation. A module
kind registers its counter here (COUNTERS); a kind without one shows no count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import ngettext

from gorod.consultations.ideas.models import Idea
from gorod.consultations.map_feedback.models import MapContribution
from gorod.consultations.model_3d.models import ModelPin
from gorod.consultations.opinion_groups.models import Statement
from gorod.consultations.questions.models import Answer, Question
from gorod.consultations.room.models import Pin
from gorod.consultations.surveys.models import SurveyResponse
from gorod.consultations.text_review.models import ParagraphComment

# kind → (module ids → {module id: the phrases to show}); each counter makes one query.
Counter = Callable[[list[int]], dict[int, list[str]]]


def _map(ids: list[int]) -> dict[int, list[str]]:
    rows = (
        MapContribution.objects.filter(module_id__in=ids, hidden=False, awaiting=False)
        .values("module_id")
        .annotate(n=Count("id"))
        .values_list("module_id", "n")
    )
    return {m: [ngettext("%(n)d pin on the map", "%(n)d pins on the map", n) % {"n": n}] for m, n in rows}


def _questions(ids: list[int]) -> dict[int, list[str]]:
    answered = Answer.objects.filter(question=OuterRef("pk"), hidden=False, awaiting=False)
    rows = (
        Question.objects.filter(module_id__in=ids, hidden=False, awaiting=False)
        .annotate(has_answer=Exists(answered))
        .values("module_id")
        .annotate(n=Count("id"), waiting=Count("id", filter=Q(has_answer=False)))
        .values_list("module_id", "n", "waiting")
    )
    out = {}
    for module_id, n, waiting in rows:
        phrase = ngettext("%(n)d question", "%(n)d questions", n) % {"n": n}
        if waiting:
            phrase += " " + ngettext("(%(n)d unanswered)", "(%(n)d unanswered)", waiting) % {"n": waiting}
        out[module_id] = [phrase]
    return out


def _responses(ids: list[int]) -> dict[int, list[str]]:
    rows = (
        SurveyResponse.objects.filter(module_id__in=ids)
        .values("module_id")
        .annotate(n=Count("id"))
        .values_list("module_id", "n")
    )
    return {m: [ngettext("%(n)d response", "%(n)d responses", n) % {"n": n}] for m, n in rows}


def _ideas(ids: list[int]) -> dict[int, list[str]]:
    rows = (
        Idea.objects.filter(module_id__in=ids, hidden=False, awaiting=False)
        .values("module_id")
        .annotate(n=Count("id"))
        .values_list("module_id", "n")
    )
    return {m: [ngettext("%(n)d idea", "%(n)d ideas", n) % {"n": n}] for m, n in rows}


def _paragraph_comments(ids: list[int]) -> dict[int, list[str]]:
    rows = (
        ParagraphComment.objects.filter(paragraph__module_id__in=ids, hidden=False, awaiting=False)
        .values("paragraph__module_id")
        .annotate(n=Count("id"))
        .values_list("paragraph__module_id", "n")
    )
    return {
        m: [ngettext("%(n)d comment on the draft", "%(n)d comments on the draft", n) % {"n": n}]
        for m, n in rows
    }


def _counted(queryset, module_field: str) -> dict[int, int]:
    """Module id → how many rows of `queryset` everyone sees (not hidden, not awaiting moderation)."""
    rows = queryset.filter(hidden=False, awaiting=False).values(module_field).annotate(n=Count("id"))
    return dict(rows.values_list(module_field, "n"))


def _room_pins(ids: list[int]) -> dict[int, list[str]]:
    counted = _counted(Pin.objects.filter(slide__module_id__in=ids), "slide__module_id")
    return {
        m: [
            ngettext("%(n)d comment pinned on the slides", "%(n)d comments pinned on the slides", n)
            % {"n": n}
        ]
        for m, n in counted.items()
    }


def _model_pins(ids: list[int]) -> dict[int, list[str]]:
    counted = _counted(ModelPin.objects.filter(module_id__in=ids), "module_id")
    return {
        m: [ngettext("%(n)d comment on the model", "%(n)d comments on the model", n) % {"n": n}]
        for m, n in counted.items()
    }


def _statements(ids: list[int]) -> dict[int, list[str]]:
    counted = _counted(Statement.objects.filter(module_id__in=ids), "module_id")
    return {m: [ngettext("%(n)d statement", "%(n)d statements", n) % {"n": n}] for m, n in counted.items()}


COUNTERS: dict[str, Counter] = {
    "map_feedback": _map,
    "questions": _questions,
    "survey": _responses,
    "idea_wall": _ideas,
    "text_review": _paragraph_comments,
    "room": _room_pins,
    "model_3d": _model_pins,
    "opinion_groups": _statements,
}


def register(kind: str, counter: Counter) -> None:
    """For a module kind built later (its package calls this): how its contributions are counted."""
    COUNTERS[kind] = counter


def module_counts(modules: Iterable) -> dict[int, str]:
    """Module id → what the project page shows under it ("312 contributions on the map"); a module with
    nothing counted yet is absent. One query per kind present among `modules`."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for module in modules:
        if module.kind in COUNTERS:
            by_kind[module.kind].append(module.pk)
    out: dict[int, str] = {}
    for kind, ids in by_kind.items():
        for module_id, phrases in COUNTERS[kind](ids).items():
            out[module_id] = " · ".join(phrases)
    return out
