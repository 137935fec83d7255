"""Reads of the survey module. Results are counted in SQL: one GROUP BY over the answers (covered by an
index) whatever the number of responses, then shaped per question in Python over the small grouped rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from gorod.consultations.surveys.models import SurveyAnswer, SurveyParticipant, SurveyQuestion, SurveyResponse

TEXTS_SHOWN = 50
BAR_HEIGHT = 28


@dataclass
class Bar:
    label: str
    count: int
    share: float  # 0..100, of the people who answered the question
    extra: str = ""  # a ranking's average place

    @property
    def width(self) -> float:
        return round(self.share * 0.45, 2)  # bars take 45 % of the chart, from 45 % on

    @property
    def value_x(self) -> float:
        return round(46 + self.width, 2)  # the figure just after the bar

    @property
    def value(self) -> str:
        return self.extra or f"{self.share:g} %"


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return max(1, len(self.bars)) * BAR_HEIGHT

    def rows(self):
        return [(i * BAR_HEIGHT, bar) for i, bar in enumerate(self.bars)]


def questions(module) -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.filter(module=module))


def has_answered(module, user) -> bool:
    return bool(user.is_authenticated) and SurveyParticipant.objects.filter(module=module, user=user).exists()


def results(module, *, with_texts: bool = False) -> tuple[int, list[QuestionResult]]:
    """(number of responses, a result per question). Three queries, four with the free texts."""
    qs = questions(module)
    total = SurveyResponse.objects.filter(module=module).count()
    ids = [q.pk for q in qs]
    counts: dict[int, list[tuple[int | None, int | None, int]]] = defaultdict(list)
    grouped = (
        SurveyAnswer.objects.filter(question_id__in=ids)
        .values_list("question_id", "option", "number")
        .annotate(n=Count("*"))
        # The index's own order: the planner then reads consult_survey_answer_agg alone, with no sort.
        .order_by("question_id", "option", "number")
    )
    for qid, option, number, n in grouped:
        counts[qid].append((option, number, n))
    texts: dict[int, list[str]] = defaultdict(list)
    text_ids = [q.pk for q in qs if q.kind == SurveyQuestion.Kind.TEXT]
    if with_texts and text_ids:
        # The latest few per question would need a window function; the latest overall is enough here. In
        # an anonymous survey there is no "latest" to give (responses keep only the day): the order is the
        # responses' random ids, which says nothing of who wrote first.
        order = ("response_id", "id") if module.settings.get("anonymous") else ("-response__created", "-id")
        for qid, text in (
            SurveyAnswer.objects.filter(question_id__in=text_ids)
            .order_by(*order)
            .values_list("question_id", "text")[: TEXTS_SHOWN * len(text_ids)]
        ):
            if len(texts[qid]) < TEXTS_SHOWN:
                texts[qid].append(text)
    return total, [_shape(q, counts[q.pk], texts[q.pk]) for q in qs]


def _shape(question: SurveyQuestion, rows, texts: list[str]) -> QuestionResult:
    kind = question.kind
    Kind = SurveyQuestion.Kind
    result = QuestionResult(question=question, texts=texts)
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        per_option = {option: n for option, _number, n in rows}
        # Each respondent picks a single option at most once; for multiple choice the distinct respondents
        # are not in the grouped rows, so shares there are of all responses to the survey's question.
        result.answered = sum(per_option.values()) if kind == Kind.SINGLE else _respondents(question)
        result.bars = [
            Bar(label, per_option.get(i, 0), _share(per_option.get(i, 0), result.answered))
            for i, label in enumerate(question.options)
        ]
    elif kind == Kind.SCALE:
        per_value = {number: n for _option, number, n in rows}
        result.answered = sum(per_value.values())
        result.bars = [
            Bar(str(v), per_value.get(v, 0), _share(per_value.get(v, 0), result.answered))
            for v in question.scale_values
        ]
        if result.answered:
            result.mean = round(sum(v * n for v, n in per_value.items()) / result.answered, 2)
    elif kind == Kind.RANKING:
        places: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for option, number, n in rows:
            places[option].append((number, n))
        size = len(question.options)
        result.answered = sum(n for _p, n in places.get(0, []))
        bars = []
        for i, label in enumerate(question.options):
            given = places.get(i, [])
            people = sum(n for _p, n in given)
            average = sum(p * n for p, n in given) / people if people else 0.0
            # Bar: how near the top the option comes on average (first = full bar).
            score = (size - average) / (size - 1) * 100 if people and size > 1 else 0.0
            bars.append(Bar(label, people, round(score, 1), extra=f"{average:.2f}" if people else "–"))
        result.bars = sorted(bars, key=lambda b: -b.share)
    else:  # free text and points: how many answered
        result.answered = sum(n for _o, _n, n in rows)
    return result


def _respondents(question: SurveyQuestion) -> int:
    return SurveyAnswer.objects.filter(question=question).values("response_id").distinct().count()


def _share(n: int, of: int) -> float:
    return round(100 * n / of, 1) if of else 0.0
