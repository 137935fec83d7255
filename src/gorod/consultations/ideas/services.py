"""Writes of the idea wall. Keyword-only, one transaction each; a refusal raises Refused and changes
nothing. Posting, supporting and commenting need the phase open (access.require)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gorod.consultations import access
from gorod.consultations.contributions import clean_text, held
from gorod.consultations.errors import Refused
from gorod.consultations.ideas.models import COMMENT_MAX, IDEA_MAX, TITLE_MAX, Idea, IdeaComment, IdeaSupport
from gorod.consultations.phases import Action
from gorod.consultations.services.follow import participation_record

KIND = "idea_wall"


@transaction.atomic
def idea_post(*, module, user, title: str, text: str = "") -> Idea:
    if module.kind != KIND:
        raise Refused(_("This part of the project does not take that."))
    access.require(user=user, module=module, action=Action.CONTRIBUTE)
    title = clean_text(title, field="title", max_length=TITLE_MAX)
    text = clean_text(text, field="text", max_length=IDEA_MAX, min_length=0)
    idea = Idea.objects.create(module=module, author=user, title=title, text=text, **held(module))
    participation_record(project=module.phase.project, user=user)
    return idea


@transaction.atomic
def idea_support(*, idea: Idea, user) -> IdeaSupport:
    """Once per person, decided by the unique constraint (a parallel second press is refused)."""
    access.require(user=user, module=idea.module, action=Action.VOTE)
    if idea.hidden:
        raise Refused(_("This idea is hidden."))
    if idea.awaiting:
        raise Refused(_("This awaits a moderator; it cannot be answered or supported yet."))
    if idea.author_id == user.pk:
        raise Refused(_("This is your idea; others support it."))
    try:
        with transaction.atomic():
            support = IdeaSupport.objects.create(idea=idea, user=user)
    except IntegrityError as exc:
        raise Refused(_("You already support this idea.")) from exc
    participation_record(project=idea.module.phase.project, user=user)
    return support


@transaction.atomic
def idea_comment(*, idea: Idea, user, text: str) -> IdeaComment:
    access.require(user=user, module=idea.module, action=Action.COMMENT)
    if idea.hidden:
        raise Refused(_("This idea is hidden."))
    if idea.awaiting:
        raise Refused(_("This awaits a moderator; it cannot be answered or supported yet."))
    text = clean_text(text, field="text", max_length=COMMENT_MAX)
    comment = IdeaComment.objects.create(idea=idea, author=user, text=text, **held(idea.module))
    participation_record(project=idea.module.phase.project, user=user)
    return comment
