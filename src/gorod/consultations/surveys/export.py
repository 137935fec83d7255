"""A survey's responses as CSV for staff: one row per response, one column per question. No account, name
or e-mail is ever in it (an anonymous survey has none to give, and the others need none for analysis).
Residents' text goes through core.spreadsheet.safe_cell so a cell starting with = + - @ is not a formula."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from itertools import groupby

from django.utils.timezone import localtime

from gorod.consultations.surveys.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from gorod.core.spreadsheet import safe_cell

CHUNK = 2000


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(question: SurveyQuestion, answers: list[tuple]) -> str:
    kind = question.kind
    Kind = SurveyQuestion.Kind
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        # In the options' order (answer ids are random, so the rows come in no order of their own).
        return "; ".join(question.options[o] for o in sorted(a[0] for a in answers if a[0] is not None))
    if kind == Kind.RANKING:
        ranked = sorted((n, o) for o, n, _t, _la, _lo in answers)
        return " > ".join(question.options[o] for _n, o in ranked)
    if kind == Kind.SCALE:
        return str(answers[0][1]) if answers else ""
    if kind == Kind.TEXT:
        return answers[0][2] if answers else ""
    return f"{answers[0][3]:.6f} {answers[0][4]:.6f}" if answers else ""


def _when(created: datetime, anonymous: bool) -> str:
    local = localtime(created)
    return local.date().isoformat() if anonymous else local.isoformat(timespec="seconds")


def rows(module) -> Iterator[str]:
    """CSV lines, streamed: the answers are read in response order, a chunk at a time. Responses have
    random ids, so that order is neutral: it is not the order people answered in. An anonymous survey's
    `created` is a date (the response keeps only the day), any other's the local time to the second."""
    questions = list(SurveyQuestion.objects.filter(module=module))
    writer = csv.writer(_Echo())
    yield writer.writerow(["response", "created", *(safe_cell(q.text) for q in questions)])
    anonymous = bool(module.settings.get("anonymous"))
    created = dict(SurveyResponse.objects.filter(module=module).values_list("id", "created"))
    answers = (
        SurveyAnswer.objects.filter(response__module=module)
        .order_by("response_id", "id")
        .values_list("response_id", "question_id", "option", "number", "text", "lat", "lon")
        .iterator(chunk_size=CHUNK)
    )
    for response_id, group in groupby(answers, key=lambda a: a[0]):
        by_question: dict[int, list[tuple]] = {}
        for _r, qid, *rest in group:
            by_question.setdefault(qid, []).append(tuple(rest))
        cells = [_cell(q, by_question.get(q.pk, [])) for q in questions]
        when = _when(created[response_id], anonymous)
        yield writer.writerow([response_id, when, *(safe_cell(c) for c in cells)])


def answer_cells(response: SurveyResponse) -> list[dict[str, str]]:
    """One response's answers as the CSV writes them, question by question: for the person's own data
    export (a survey that names people only). Reads the prefetched `answers` when there are some."""
    questions = SurveyQuestion.objects.filter(module_id=response.module_id)
    by_question: dict[int, list[tuple]] = {}
    for a in response.answers.all():
        by_question.setdefault(a.question_id, []).append((a.option, a.number, a.text, a.lat, a.lon))
    return [
        {"question": q.text, "answer": _cell(q, by_question[q.pk])} for q in questions if q.pk in by_question
    ]
