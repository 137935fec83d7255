"""Writes of the Q&A module. Keyword-only, one transaction each; a refusal raises Refused and changes
nothing. Residents ask and upvote while the phase is open (access.require); the city answers at any time
while the project is published: a question asked on the last day still deserves its answer."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gorod.consultations import access
from gorod.consultations.contributions import clean_text, held
from gorod.consultations.errors import Refused
from gorod.consultations.phases import Action
from gorod.consultations.questions.models import ANSWER_MAX, QUESTION_MAX, Answer, Question, QuestionUpvote
from gorod.consultations.services.follow import participation_record

KIND = "questions"


def _require_kind(module) -> None:
    if module.kind != KIND:
        raise Refused(_("This part of the project does not take that."))


@transaction.atomic
def question_ask(*, module, user, text: str) -> Question:
    _require_kind(module)
    access.require(user=user, module=module, action=Action.CONTRIBUTE)
    text = clean_text(text, field="text", max_length=QUESTION_MAX, min_length=10)
    question = Question.objects.create(module=module, author=user, text=text, **held(module))
    participation_record(project=module.phase.project, user=user)
    return question


@transaction.atomic
def question_upvote(*, question: Question, user) -> QuestionUpvote:
    """Once per person: the unique constraint decides under concurrency, the savepoint keeps the outer
    transaction usable when a parallel upvote won."""
    module = question.module
    access.require(user=user, module=module, action=Action.VOTE)
    if question.hidden:
        raise Refused(_("This question is hidden."))
    if question.awaiting:
        raise Refused(_("This awaits a moderator; it cannot be answered or supported yet."))
    if question.author_id == user.pk:
        raise Refused(_("You asked this question; others upvote it."))
    try:
        with transaction.atomic():
            upvote = QuestionUpvote.objects.create(question=question, user=user)
    except IntegrityError as exc:
        raise Refused(_("You have already upvoted this question.")) from exc
    participation_record(project=module.phase.project, user=user)
    return upvote


@transaction.atomic
def answer_post(*, question: Question, user, text: str) -> Answer:
    """A public answer by the city's staff, marked official."""
    if not user.has_perm("consultations.answer"):
        raise Refused(_("Only the city's staff answer questions here."))
    if not question.module.phase.project.published:
        raise Refused(_("This project is not published."))
    if question.hidden:
        raise Refused(_("This question is hidden."))
    if question.awaiting:
        raise Refused(_("This awaits a moderator; it cannot be answered or supported yet."))
    text = clean_text(text, field="text", max_length=ANSWER_MAX, min_length=10)
    # Held like a department's answer to a report in a category with answer moderation: in a
    # pre-moderated project a department's answer waits for a moderator; moderators and city
    # administrators are the check themselves.
    held_answer = held(question.module) if not user.has_perm("consultations.moderate") else {}
    return Answer.objects.create(question=question, author=user, text=text, official=True, **held_answer)
