"""What engagement projects hold about one person, for the privacy app's data export and erasure.

Export: everything the person wrote or did in the city's projects (map feedback, questions, answers,
ideas, comments, paragraph comments, opinion statements and votes, agreements, upvotes and support,
flags, participations, the surveys they answered and, for surveys that name people, their answers),
each with its moderation state. An anonymous survey's response names nobody and nothing links it to its
author (docs/decisions.md, "Anonymous survey responses are unlinkable"): the export says only *that* the
person answered it.

Erasure follows reports: what the city consulted on stays part of the consultation's record, without the
person. Published and hidden contributions lose their author (a hidden one keeps its reason and stays
hidden); contributions still awaiting pre-moderation were never public and go. Agreements, upvotes,
support and flags go, and the map's stored agreement counts are lowered with them; a named survey
response loses its account. Participations, follows by account, the "already answered" records,
demographic answers and bans go with the account (cascade). Invitations to rooms addressed to the
person's e-mail go too (room/personal_data.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from gorod.consultations.contributions import Flag, target_of
from gorod.consultations.demographics import DemographicAnswer
from gorod.consultations.ideas.models import Idea, IdeaComment, IdeaSupport
from gorod.consultations.map_feedback.models import MapAgreement, MapContribution
from gorod.consultations.model_3d.models import ModelPin, ModelReply
from gorod.consultations.models import Module, Participation
from gorod.consultations.moderation import Ban
from gorod.consultations.opinion_groups.models import Statement, StatementVote
from gorod.consultations.opinion_groups.services import request_recompute
from gorod.consultations.questions.models import Answer, Question, QuestionUpvote
from gorod.consultations.room import personal_data as room_data
from gorod.consultations.room.models import Pin, PinReply
from gorod.consultations.surveys.export import answer_cells
from gorod.consultations.surveys.models import SurveyParticipant, SurveyResponse
from gorod.consultations.text_review.models import ParagraphComment

# Each kind of contribution: (export key, model, path to its Module, its text fields).
WRITTEN = (
    ("questions", Question, "module", ("text",)),
    ("answers", Answer, "question__module", ("text", "official")),
    ("ideas", Idea, "module", ("title", "text")),
    ("idea_comments", IdeaComment, "idea__module", ("idea_id", "text")),
    ("paragraph_comments", ParagraphComment, "paragraph__module", ("paragraph_id", "text")),
    ("opinion_statements", Statement, "module", ("text",)),
    ("model_3d_pins", ModelPin, "module", ("variant", "text", "x", "y", "z")),
    ("model_3d_replies", ModelReply, "pin__module", ("pin_id", "text")),
    (
        "map_feedback",
        MapContribution,
        "module",
        ("shape", "geometry", "sentiment", "comment", "answers", "tags", "agree_count"),
    ),
    ("room_comments", Pin, "slide__module", ("slide_id", "x", "y", "yaw", "pitch", "text")),
    ("room_replies", PinReply, "pin__slide__module", ("pin_id", "text")),
)
# Each kind of vote: (export key, model, the field naming what was voted for, path to its Module).
VOTES = (
    ("map_agreements", MapAgreement, "contribution_id", "contribution__module"),
    ("question_upvotes", QuestionUpvote, "question_id", "question__module"),
    ("idea_supports", IdeaSupport, "idea_id", "idea__module"),
    ("opinion_votes", StatementVote, "statement_id", "statement__module"),
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _state(item) -> dict[str, Any]:
    if item.hidden:
        return {"state": "hidden", "hidden_reason": item.hidden_reason}
    return {"state": "awaiting moderation" if item.awaiting else "published"}


def _where(module) -> dict[str, Any]:
    return {"project": module.phase.project.slug, "module": module.pk}


def _module(item, path: str):
    for step in path.split("__"):
        item = getattr(item, step)
    return item


def _written(user) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for key, model, path, fields in WRITTEN:
        rows = (
            model.objects.filter(author=user)
            .select_related(f"{path}__phase__project")
            .order_by("created", "pk")
        )
        out[key] = [
            {
                "id": row.pk,
                **_where(_module(row, path)),
                "created": _iso(row.created),
                **{name: getattr(row, name) for name in fields},
                **_state(row),
            }
            for row in rows
        ]
    return out


def _votes(user) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for key, model, target, path in VOTES:
        rows = (
            model.objects.filter(user=user)
            .select_related(f"{path}__phase__project")
            .order_by("created", "pk")
        )
        out[key] = [
            {"on": getattr(row, target), **_where(_module(row, path)), "created": _iso(row.created)}
            for row in rows
        ]
    return out


def _surveys(user) -> dict[str, list[dict[str, Any]]]:
    answered = SurveyParticipant.objects.filter(user=user).select_related("module__phase__project")
    named = (
        SurveyResponse.objects.filter(user=user)
        .select_related("module__phase__project")
        .prefetch_related("answers")
        .order_by("created", "pk")
    )
    return {
        # Anonymous surveys appear here only: their answers are not linked to anyone, not even for this.
        "surveys_answered": [
            {**_where(p.module), "anonymous": bool((p.module.settings or {}).get("anonymous"))}
            for p in answered
        ],
        "survey_responses": [
            {**_where(r.module), "created": _iso(r.created), "answers": answer_cells(r)} for r in named
        ],
    }


def export(user) -> dict[str, Any]:
    flags = Flag.objects.filter(user=user).select_related("module__phase__project").order_by("created", "pk")
    bans = Ban.objects.filter(user=user).order_by("created", "pk")
    participations = (
        Participation.objects.filter(user=user).select_related("project").order_by("first_seen", "pk")
    )
    return {
        "consultations": {
            **_written(user),
            **_votes(user),
            **_surveys(user),
            **room_data.export(user),
            "flags": [
                {
                    "kind": f.target,
                    "on": f.target_id,
                    **_where(f.module),
                    "reason": f.reason,
                    "created": _iso(f.created),
                }
                for f in flags
            ],
            "participations": [
                {"project": p.project.slug, "first_contribution": _iso(p.first_seen)} for p in participations
            ],
            "bans": [
                {
                    "reason": b.reason,
                    "since": _iso(b.created),
                    "until": _iso(b.until),
                    "lifted": _iso(b.lifted_at),
                }
                for b in bans
            ],
        }
    }


@transaction.atomic
def erase(user) -> dict[str, int]:
    """Run inside the erasure's transaction, before the account row goes; counts for the audit trail."""
    counts: dict[str, int] = {}
    for key, model, _path, _fields in WRITTEN:
        held = model.objects.filter(author=user, awaiting=True)
        # Residents' flags on what goes would otherwise wait on the desk for an item that is not there.
        held_ids = list(held.values_list("pk", flat=True))
        Flag.objects.filter(target=target_of(model()), target_id__in=held_ids).delete()
        deleted, _by_model = held.delete()
        kept = model.objects.filter(author=user).update(author=None)
        counts[f"consultation_{key}"] = kept + deleted
    # The stored count first, while the agreements still say which contributions they were for.
    agreed = MapContribution.objects.filter(agreements__user=user).values("pk")
    MapContribution.objects.filter(pk__in=agreed).update(agree_count=F("agree_count") - 1)
    # Opinion groups counted these votes: the worker recomputes them without the person.
    for module in (
        Module.objects.filter(statements__votes__user=user).distinct().select_related("phase__project")
    ):
        request_recompute(module)
    for key, vote_model, _target, _path in VOTES:
        counts[f"consultation_{key}"], _by_model = vote_model.objects.filter(user=user).delete()
    counts["consultation_flags"], _by_model = Flag.objects.filter(user=user).delete()
    counts["consultation_survey_responses"] = SurveyResponse.objects.filter(user=user).update(user=None)
    counts["consultation_participations"], _by_model = Participation.objects.filter(user=user).delete()
    counts["consultation_about_you"], _by_model = DemographicAnswer.objects.filter(user=user).delete()
    counts.update(room_data.erase(user))
    return counts
