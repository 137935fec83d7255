"""Writes of the text review module. Keyword-only, one transaction each; a refusal raises Refused and
changes nothing. Staff set the draft; residents comment on a paragraph while the phase is open."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from gorod.consultations import access
from gorod.consultations.contributions import clean_text, held
from gorod.consultations.errors import Refused
from gorod.consultations.phases import Action
from gorod.consultations.services.follow import participation_record
from gorod.consultations.text_review.models import COMMENT_MAX, PARAGRAPH_MAX, Paragraph, ParagraphComment

KIND = "text_review"
MAX_PARAGRAPHS = 300


@transaction.atomic
def draft_set(*, module, actor, text: str) -> list[Paragraph]:
    """The draft, split into paragraphs at blank lines. Refused once anyone has commented: comments must
    stay under the paragraph they were written about."""
    if module.kind != KIND:
        raise Refused(_("This part of the project does not take that."))
    if not actor.has_perm("consultations.manage"):
        raise Refused(_("Only the city's administrators set up the draft."))
    if ParagraphComment.objects.filter(paragraph__module=module).exists():
        raise Refused(_("The draft has comments already; publish a new draft in a new module."))
    if "\x00" in (text or ""):
        raise Refused(_("The text contains a character that cannot be stored."), field="text")
    parts = [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if p.strip()]
    if not parts:
        raise Refused(_("The draft is empty."), field="text")
    if len(parts) > MAX_PARAGRAPHS:
        raise Refused(_("A draft has at most %(n)d paragraphs.") % {"n": MAX_PARAGRAPHS}, field="text")
    if any(len(p) > PARAGRAPH_MAX for p in parts):
        raise Refused(_("A paragraph has at most %(n)d characters.") % {"n": PARAGRAPH_MAX}, field="text")
    Paragraph.objects.filter(module=module).delete()
    return Paragraph.objects.bulk_create(
        [Paragraph(module=module, position=i, text=p) for i, p in enumerate(parts)]
    )


@transaction.atomic
def paragraph_comment(*, paragraph: Paragraph, user, text: str) -> ParagraphComment:
    module = paragraph.module
    access.require(user=user, module=module, action=Action.COMMENT)
    text = clean_text(text, field="text", max_length=COMMENT_MAX)
    comment = ParagraphComment.objects.create(
        paragraph=paragraph, author=user, text=text, **held(paragraph.module)
    )
    participation_record(project=module.phase.project, user=user)
    return comment
