"""Reads of the Q&A module: a module's questions with their upvotes and answers in a fixed number of
queries, and the questions the city has not answered yet (the back office lists them, oldest first)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Value

from gorod.consultations.contributions import visible_to
from gorod.consultations.questions.models import Answer, Question, QuestionUpvote
from gorod.core import clock


def module_questions(module, *, user, order: str = "top") -> QuerySet[Question]:
    """Hidden questions stay in the list (their reason is shown in place); most upvoted first, or newest."""
    mine = (
        Exists(QuestionUpvote.objects.filter(question=OuterRef("pk"), user=user.pk))
        if user.is_authenticated
        else Value(False)
    )
    questions = (
        Question.objects.filter(module=module)
        .filter(visible_to(user))
        .annotate(upvote_count=Count("upvotes", distinct=True), upvoted=mine)
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.filter(visible_to(user)).order_by("created", "id"))
        )
    )
    if order == "new":
        return questions.order_by("-created", "-id")
    return questions.order_by("-upvote_count", "-created", "-id")


def unanswered(project) -> QuerySet[Question]:
    """Visible questions of the project with no visible answer, oldest first (the longest wait on top)."""
    answered = Answer.objects.filter(question=OuterRef("pk"), hidden=False, awaiting=False)
    return (
        Question.objects.filter(module__phase__project=project, hidden=False, awaiting=False)
        .filter(~Exists(answered))
        .select_related("module")
        .annotate(upvote_count=Count("upvotes", distinct=True))
        .order_by("created", "id")
    )


def question_of(module, pk: int) -> Question | None:
    return Question.objects.filter(module=module, pk=pk).select_related("module__phase__project").first()


def answer_of(module, pk: int) -> Answer | None:
    return Answer.objects.filter(question__module=module, pk=pk).select_related("question").first()


UNANSWERED_SHOWN = 100


def unanswered_with_age(project) -> tuple[list[tuple[Question, int]], int]:
    """The oldest unanswered questions with their age in whole days (from core.clock), and how many there
    are in all (the back office shows the first UNANSWERED_SHOWN)."""
    questions = unanswered(project)
    now = clock.now()
    shown = [(q, (now - q.created).days) for q in questions[:UNANSWERED_SHOWN]]
    total = len(shown) if len(shown) < UNANSWERED_SHOWN else questions.count()
    return shown, total
