"""Writes of the survey module. Keyword-only, one transaction each; a refusal raises Refused and changes
nothing. Staff set the questions before anyone answers; a resident answers once while the phase is open
(one row in SurveyParticipant, decided by its unique constraint under concurrency)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gorod.city.districts import district_for_report
from gorod.consultations import access
from gorod.consultations.contributions import clean_text
from gorod.consultations.errors import Refused
from gorod.consultations.phases import Action
from gorod.consultations.services.follow import participation_record
from gorod.consultations.surveys.models import (
    OPTION_MAX,
    QUESTION_MAX,
    SCALES,
    TEXT_MAX,
    SurveyAnswer,
    SurveyParticipant,
    SurveyQuestion,
    SurveyResponse,
    random_id,
)
from gorod.core import clock

KIND = "survey"
MAX_QUESTIONS = 40
MAX_OPTIONS = 20
Kind = SurveyQuestion.Kind
CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING}
ID_ATTEMPTS = 5  # random ids collide about once in 10^18 inserts; five tries is certainty
T = TypeVar("T")


def _require_kind(module) -> None:
    if module.kind != KIND:
        raise Refused(_("This part of the project does not take that."))


@transaction.atomic
def question_add(
    *,
    module,
    actor,
    kind: str,
    text: str,
    options: Sequence[str] = (),
    scale_max: int | None = None,
    required: bool = True,
) -> SurveyQuestion:
    """Staff add a question. Refused once anyone has answered: changing questions under existing answers
    would make the results lie."""
    _require_kind(module)
    if not actor.has_perm("consultations.manage"):
        raise Refused(_("Only the city's administrators set up surveys."))
    if SurveyResponse.objects.filter(module=module).exists():
        raise Refused(_("People have already answered this survey; its questions stay as they are."))
    if kind not in Kind.values:
        raise Refused(_("Unknown kind of question."), field="kind")
    if SurveyQuestion.objects.filter(module=module).count() >= MAX_QUESTIONS:
        raise Refused(_("A survey has at most %(n)d questions.") % {"n": MAX_QUESTIONS})
    text = clean_text(text, field="text", max_length=QUESTION_MAX)
    cleaned: list[str] = []
    if kind in CHOICE_KINDS:
        cleaned = [clean_text(o, field="options", max_length=OPTION_MAX, min_length=1) for o in options]
        if not 2 <= len(cleaned) <= MAX_OPTIONS:
            raise Refused(_("Give between 2 and %(n)d options.") % {"n": MAX_OPTIONS}, field="options")
        if len(set(cleaned)) != len(cleaned):
            raise Refused(_("Each option must be different."), field="options")
    if kind == Kind.SCALE:
        if scale_max not in SCALES:
            raise Refused(_("A scale runs from 1 to 5 or from 0 to 10."), field="scale_max")
    else:
        scale_max = None
    return SurveyQuestion.objects.create(
        module=module,
        kind=kind,
        text=text,
        options=cleaned,
        scale_max=scale_max,
        required=required,
        position=SurveyQuestion.objects.filter(module=module).count(),
    )


def _int(raw: str, question: SurveyQuestion) -> int:
    try:
        return int(str(raw).strip())
    except ValueError as exc:
        raise Refused(_("This answer is not one of the choices."), field=question.field_name) from exc


def _answers_for(question: SurveyQuestion, raw: Sequence[str], municipality_id: int) -> list[SurveyAnswer]:
    """The answer rows for one question, or Refused naming it. `raw` is the form's values: the chosen
    option indexes; for a ranking, the place given to each option in the options' order; for a point,
    latitude and longitude."""
    field = question.field_name
    values = [str(v).strip() for v in raw if str(v).strip()]
    if not values:
        if question.required:
            raise Refused(_("Please answer: %(q)s") % {"q": question.text}, field=field)
        return []
    kind = question.kind
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        chosen = [_int(v, question) for v in values]
        if any(not 0 <= c < len(question.options) for c in chosen):
            raise Refused(_("This answer is not one of the choices."), field=field)
        if kind == Kind.SINGLE and len(chosen) != 1:
            raise Refused(_("Choose one answer."), field=field)
        if len(set(chosen)) != len(chosen):
            raise Refused(_("Each option can be chosen once."), field=field)
        return [SurveyAnswer(question=question, option=c) for c in chosen]
    if kind == Kind.SCALE:
        value = _int(values[0], question) if len(values) == 1 else None
        if value not in question.scale_values:
            low, high = question.scale_values[0], question.scale_values[-1]
            raise Refused(
                _("Choose a value from %(low)d to %(high)d.") % {"low": low, "high": high}, field=field
            )
        return [SurveyAnswer(question=question, number=value)]
    if kind == Kind.RANKING:
        places = [_int(v, question) for v in values]
        n = len(question.options)
        if sorted(places) != list(range(1, n + 1)) or len(raw) != n:
            raise Refused(_("Give each option a different place, from 1 to %(n)d.") % {"n": n}, field=field)
        return [SurveyAnswer(question=question, option=i, number=p) for i, p in enumerate(places)]
    if kind == Kind.TEXT:
        text = clean_text(values[0], field=field, max_length=TEXT_MAX, min_length=1)
        return [SurveyAnswer(question=question, text=text)]
    # A point: latitude, longitude, inside the city (the same snap as a report's pin).
    try:
        lat, lon = (float(v) for v in values)
    except ValueError as exc:
        raise Refused(_("Choose a point on the map."), field=field) from exc
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise Refused(_("The point's coordinates are out of range."), field=field)
    if district_for_report(municipality_id, lat, lon) is None:
        raise Refused(_("The point is outside the city."), field=field)
    return [SurveyAnswer(question=question, lat=lat, lon=lon)]


@transaction.atomic
def response_submit(*, module, user, answers: Mapping[int, Sequence[str]]) -> SurveyResponse:
    """A resident's answers, keyed by question id. Every answer is checked before anything is written;
    answers to questions of another survey are refused, not ignored."""
    _require_kind(module)
    access.require(user=user, module=module, action=Action.CONTRIBUTE)
    questions = list(SurveyQuestion.objects.filter(module=module))
    if not questions:
        raise Refused(_("This survey has no questions yet."))
    known = {q.pk for q in questions}
    if any(int(k) not in known for k in answers):
        raise Refused(_("An answer names a question that is not in this survey."))
    municipality_id = module.phase.project.municipality_id
    rows = [row for q in questions for row in _answers_for(q, answers.get(q.pk, ()), municipality_id)]
    if not rows:
        raise Refused(_("Answer at least one question."))
    try:
        with transaction.atomic():
            SurveyParticipant.objects.create(module=module, user=user)
    except IntegrityError as exc:
        raise Refused(_("You have already answered this survey. Thank you!")) from exc
    project = module.phase.project
    anonymous = bool(module.settings.get("anonymous"))
    # An anonymous response keeps no account, no exact time (only the day) and a random id, so nothing in
    # it follows the order, or the moment, in which the SurveyParticipant and Participation rows were made.
    when = _day_start(project) if anonymous else clock.now()

    def insert_response() -> SurveyResponse:
        return SurveyResponse.objects.create(
            id=random_id(), module=module, user=None if anonymous else user, created=when
        )

    response = _with_fresh_ids(insert_response)

    def insert_answers() -> list[SurveyAnswer]:
        for row in rows:
            row.pk = random_id()
            row.response = response
        return SurveyAnswer.objects.bulk_create(rows)

    _with_fresh_ids(insert_answers)
    # A first contribution made by this survey would date the person's Participation to the second: only
    # the day, like the response, when the survey is anonymous. An earlier participation is left as it is.
    participation_record(project=project, user=user, first_seen=when if anonymous else None)
    return response


def _day_start(project) -> dt.datetime:
    """Midnight that begins today in the city's time zone (an aware datetime, stored as UTC)."""
    tz = ZoneInfo(project.municipality.timezone)
    return dt.datetime.combine(clock.today(tz), dt.time(), tzinfo=tz)


def _with_fresh_ids(insert: Callable[[], T]) -> T:
    """Run an insert that draws random primary keys, in a savepoint; on a collision draw again. Any other
    IntegrityError (none is expected: the foreign keys are to rows this transaction holds) still raises."""
    for attempt in range(ID_ATTEMPTS):
        try:
            with transaction.atomic():
                return insert()
        except IntegrityError:
            if attempt == ID_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
