"""Rows of the consultation datasets (docs/open-data.md): published projects with their contribution
counts, visible map-feedback contributions, and survey answer counts per question and option.

Only published projects, only contributions a visitor sees (not hidden, not awaiting moderation), and
never a field a resident wrote or that names one: no authors, comments, free-text or map-point answers,
no per-response rows, no demographics. Counts are GROUP BYs in SQL; map contributions stream from a
chunked cursor like the reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count

from gorod.city.models import Municipality
from gorod.consultations import selectors as consult_selectors
from gorod.consultations.ideas.models import Idea, IdeaComment
from gorod.consultations.map_feedback.models import MapContribution
from gorod.consultations.questions.models import Answer, Question
from gorod.consultations.surveys.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from gorod.consultations.text_review.models import ParagraphComment

CHUNK = 5000

# Column of consultations-projects → (model, path from it to its Module, moderated: has hidden/awaiting).
COUNTED = (
    ("map_contributions", MapContribution, "module", True),
    ("survey_responses", SurveyResponse, "module", False),
    ("questions", Question, "module", True),
    ("answers", Answer, "question__module", True),
    ("ideas", Idea, "module", True),
    ("idea_comments", IdeaComment, "idea__module", True),
    ("paragraph_comments", ParagraphComment, "paragraph__module", True),
)


def _projects(municipality: Municipality):
    return consult_selectors.public_projects(municipality).order_by("slug")


def _visible(model, module_path: str, moderated: bool, municipality: Municipality):
    """The model's rows a visitor sees, in the municipality's published projects."""
    qs = model.objects.filter(
        **{
            f"{module_path}__phase__project__municipality": municipality,
            f"{module_path}__phase__project__published": True,
        }
    )
    if moderated:
        qs = qs.filter(hidden=False, awaiting=False)
    return qs


def _date(value: dt.datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).date().isoformat() if value else ""


def project_rows(municipality: Municipality) -> list[list[Any]]:
    zone = ZoneInfo(municipality.timezone)
    counts: dict[str, dict[int, int]] = {}
    for column, model, path, moderated in COUNTED:
        project = f"{path}__phase__project"
        grouped = (
            _visible(model, path, moderated, municipality)
            .values_list(project)
            .annotate(n=Count("id"))
            .order_by()
        )
        counts[column] = dict(grouped)
    out = []
    for p in _projects(municipality):
        out.append(
            [
                p.slug, p.title, p.district.slug if p.district else "", p.topic, p.status,
                _date(p.first_start, zone), _date(p.last_end, zone),
                *(counts[column].get(p.pk, 0) for column, *_ in COUNTED),
            ]
        )  # fmt: skip
    return out


def map_features(municipality: Municipality) -> Iterator[dict[str, Any]]:
    """GeoJSON features of visible map contributions: the shape, its sentiment, the module's tags, the
    agreements, the day (not the time) and whether it came on paper. Never the comment or the answers."""
    zone = ZoneInfo(municipality.timezone)
    rows = (
        _visible(MapContribution, "module", True, municipality)
        .order_by("pk")
        .values_list(
            "pk", "module__phase__project__slug", "module_id", "shape", "geometry", "sentiment", "tags",
            "agree_count", "paper", "created",
        )
    )  # fmt: skip
    for pk, project, module, shape, geometry, sentiment, tags, agreed, paper, created in rows.iterator(
        chunk_size=CHUNK
    ):
        yield {
            "type": "Feature",
            "id": pk,
            "geometry": geometry,
            "properties": {
                "project": project,
                "module": module,
                "shape": shape,
                "sentiment": sentiment,
                "tags": [str(t) for t in tags] if isinstance(tags, list) else [],
                "agreements": agreed,
                "date": _date(created, zone),
                "paper": paper,
            },
        }


# Kinds whose answers are counted; free text and map points are never published (docs/open-data.md).
COUNTED_KINDS = (
    SurveyQuestion.Kind.SINGLE,
    SurveyQuestion.Kind.MULTIPLE,
    SurveyQuestion.Kind.SCALE,
    SurveyQuestion.Kind.RANKING,
)


def survey_rows(municipality: Municipality) -> list[list[Any]]:
    """One row per question and option (per option and place for a ranking, per value for a scale)."""
    questions = list(
        SurveyQuestion.objects.filter(
            module__phase__project__municipality=municipality,
            module__phase__project__published=True,
            kind__in=COUNTED_KINDS,
        )
        .select_related("module__phase__project")
        .order_by("module__phase__project__slug", "module_id", "position", "id")
    )
    grouped: dict[int, dict[tuple[int | None, int | None], int]] = defaultdict(dict)
    for qid, option, number, n in (
        SurveyAnswer.objects.filter(question__in=questions)
        .values_list("question_id", "option", "number")
        .annotate(n=Count("*"))
        .order_by("question_id", "option", "number")
    ):
        grouped[qid][(option, number)] = n
    responses = dict(
        SurveyResponse.objects.filter(module_id__in={q.module_id for q in questions})
        .values_list("module_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: list[list[Any]] = []
    for q in questions:
        module = q.module
        head = [
            module.phase.project.slug,
            module.pk,
            module.title,
            responses.get(module.pk, 0),
            q.position + 1,
        ]
        head += [q.text, q.kind]
        found = grouped.get(q.pk, {})
        options = [str(o) for o in q.options] if isinstance(q.options, list) else []
        if q.kind == SurveyQuestion.Kind.SCALE:
            for value in q.scale_values:
                out.append([*head, str(value), "", found.get((None, value), 0)])
        elif q.kind == SurveyQuestion.Kind.RANKING:
            for index, label in enumerate(options):
                for place in range(1, len(options) + 1):
                    out.append([*head, label, place, found.get((index, place), 0)])
        else:
            for index, label in enumerate(options):
                out.append([*head, label, "", sum(n for (o, _), n in found.items() if o == index)])
    return out
