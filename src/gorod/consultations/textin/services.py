"""Writes of text-in: the keyword table (city administrators), the inbound message (the webhook), bans of
numbers (moderators) and a number's data on request (export, erase). Keyword-only, one transaction each;
a refusal raises Refused and changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from gorod.city import selectors as city_selectors
from gorod.consultations import access
from gorod.consultations.contributions import clean_text, held
from gorod.consultations.errors import Refused
from gorod.consultations.ideas.models import IDEA_MAX, TITLE_MAX, Idea
from gorod.consultations.phases import Action
from gorod.consultations.questions.models import QUESTION_MAX, Question
from gorod.consultations.textin import phones, replies, words
from gorod.consultations.textin.gateways import BadInbound, Inbound
from gorod.consultations.textin.models import REASON_MAX, Keyword, NumberBan, OptOut, Outcome, TextMessage
from gorod.core import audit, clock, ratelimit, sms

# The module kinds a text message can become a contribution of: an idea on a wall, a question in a Q&A.
KINDS = ("idea_wall", "questions")
RATE_SCOPE = "contribution"  # the report form's and the modules' limit, counted per number


def _require(actor, perm: str, message: str) -> None:
    if not actor.has_perm(perm):
        raise Refused(message)


# --- keywords ---------------------------------------------------------------------------------------------
@transaction.atomic
def keyword_add(*, municipality, word: str, module, actor) -> Keyword:
    _require(actor, "consultations.manage", _("Only city administrators manage text-in keywords."))
    word = words.normal(word)
    if not words.is_valid_keyword(word):
        raise Refused(
            _("A keyword is one word of 2 to 20 letters or digits, and not STOP, START or HELP."),
            field="word",
        )
    if module is None or module.phase.project.municipality_id != municipality.pk:
        raise Refused(_("Choose a module of this city's projects."), field="module")
    if module.kind not in KINDS:
        raise Refused(_("Text messages can go to an idea wall or a Q&A module only."), field="module")
    try:
        with transaction.atomic():
            keyword = Keyword.objects.create(
                municipality=municipality, word=word, module=module, created_by=actor
            )
    except IntegrityError as exc:
        raise Refused(
            _("The keyword %(w)s is already used in this city.") % {"w": word}, field="word"
        ) from exc
    audit.record(
        action="textin.keyword_add",
        actor=actor,
        object_type="consultations.textin_keyword",
        object_id=keyword.pk,
    )
    return keyword


@transaction.atomic
def keyword_set_active(*, keyword: Keyword, active: bool, actor) -> None:
    _require(actor, "consultations.manage", _("Only city administrators manage text-in keywords."))
    Keyword.objects.filter(pk=keyword.pk).update(active=active, updated=clock.now())
    keyword.active = active
    audit.record(
        action="textin.keyword_on" if active else "textin.keyword_off",
        actor=actor,
        object_type="consultations.textin_keyword",
        object_id=keyword.pk,
    )


# --- inbound ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Received:
    message: TextMessage
    replayed: bool


class _TextSender:
    """Who a text message stands for when the module's permission is asked: someone the rules admit (the
    number is their voice, as an account is on the site) and with no account to be barred; numbers are
    barred by NumberBan instead. access.refusal then gives exactly the phase's and project's reasons."""

    is_authenticated = False
    pk = None

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm == f"consultations.{Action.CONTRIBUTE}"


def active_ban(municipality_id: int, phone_hash: str) -> NumberBan | None:
    from django.db.models import Q

    return (
        NumberBan.objects.filter(
            municipality_id=municipality_id, phone_hash=phone_hash, lifted_at__isnull=True
        )
        .filter(Q(until__isnull=True) | Q(until__gt=clock.now()))
        .order_by("-created")
        .first()
    )


def examples(municipality_id: int, limit: int = 3) -> list[str]:
    """A few keywords that take messages now, for replies that help a lost sender."""
    found = []
    rows = Keyword.objects.filter(municipality_id=municipality_id, active=True).select_related(
        "module__phase__project"
    )
    for keyword in rows.order_by("word")[:20]:
        if access.refusal(_TextSender(), keyword.module, Action.CONTRIBUTE) is None:
            found.append(keyword.word)
        if len(found) >= limit:
            break
    return found


def _project_url(project) -> str:
    base = city_selectors.site_url(project.municipality_id) or settings.GOROD_SITE_URL
    return base.rstrip("/") + reverse("consultations:project", args=[project.slug])


def _contribution(module, text: str):
    """The idea or question a message becomes (author: none; marked by text message). Refused when the
    text does not fit the module's bounds."""
    if module.kind == "questions":
        text = clean_text(text, field="text", max_length=QUESTION_MAX, min_length=10)
        return Question.objects.create(
            module=module, author=None, text=text, by_text_message=True, **held(module)
        )
    text = clean_text(text, field="text", max_length=IDEA_MAX)
    title = text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
    return Idea.objects.create(
        module=module,
        author=None,
        title=title,
        text="" if title == text else text,
        by_text_message=True,
        **held(module),
    )


def _decide(message: TextMessage, municipality, body: str, language: str) -> str:
    """Fill in the message's outcome (and contribution); return the reply, "" for none."""
    command = words.command_of(body)
    # STOP and START are honoured whatever the limits say; STOP is confirmed once, not at every repeat.
    if command == "STOP":
        _optout, created = OptOut.objects.get_or_create(phone_hash=message.phone_hash)
        message.outcome = Outcome.STOP
        return replies.stopped(language) if created else ""
    if command == "START":
        OptOut.objects.filter(phone_hash=message.phone_hash).delete()
        message.outcome = Outcome.START
        return replies.started(language)
    try:
        ratelimit.hit(RATE_SCOPE, "sms:" + message.phone_hash)
    except ratelimit.RateLimited:
        # No reply: a flood of messages must not become a flood of paid replies.
        message.outcome = Outcome.LIMITED
        return ""
    if command == "HELP":
        message.outcome = Outcome.HELP
        return replies.help_text(language, examples=examples(municipality.pk))
    ban = active_ban(municipality.pk, message.phone_hash)
    if ban is not None:
        message.outcome = Outcome.BARRED
        return replies.barred(language, reason=ban.reason, until=ban.until)
    word, text = words.split(body)
    message.word = word
    if not word:  # an empty message (a picture alone, say): say how it works
        message.outcome = Outcome.UNKNOWN
        return replies.help_text(language, examples=examples(municipality.pk))
    keyword = (
        Keyword.objects.filter(municipality=municipality, word=word, active=True)
        .select_related("module__phase__project")
        .first()
    )
    if keyword is None:
        message.outcome = Outcome.UNKNOWN
        return replies.unknown(language, word=word[:WORD_SHOWN], examples=examples(municipality.pk))
    message.keyword = keyword
    module, project = keyword.module, keyword.module.phase.project
    with override(language):
        reason = access.refusal(_TextSender(), module, Action.CONTRIBUTE)
    if reason is not None:
        message.outcome = Outcome.CLOSED
        return replies.closed(language, project=project.title, reason_of=lambda: reason)
    if not text:
        message.outcome = Outcome.EMPTY
        return replies.empty(language, word=keyword.word)
    try:
        with override(language):
            contribution = _contribution(module, text)
    except Refused as exc:
        message.outcome = Outcome.INVALID
        return replies.refused(language, reason=exc.message)
    if isinstance(contribution, Question):
        message.question = contribution
    else:
        message.idea = contribution
    message.outcome = Outcome.ACCEPTED
    return replies.accepted(
        language, project=project.title, awaiting=contribution.awaiting, url=_project_url(project)
    )


WORD_SHOWN = 20


def reply_key(gateway: str, message_id: str) -> str:
    return f"textin-reply|{gateway}|{message_id}"


@transaction.atomic
def inbound_receive(*, municipality, gateway: str, inbound: Inbound) -> Received:
    """One inbound message, signature already checked. The (gateway, message id) pair is unique: a
    replayed or retried webhook finds its row and changes nothing (no second contribution, no second
    reply). The message's row, its contribution and its reply (an outbox row) commit together."""
    phone = phones.normalise(inbound.sender)
    if not phone:
        raise BadInbound("the sender is not a phone number")
    found = TextMessage.objects.filter(gateway=gateway, message_id=inbound.message_id).first()
    if found is not None:
        return Received(found, replayed=True)
    message = TextMessage(
        municipality=municipality,
        gateway=gateway,
        message_id=inbound.message_id,
        phone=phone,
        phone_hash=phones.lookup(phone),
        outcome=Outcome.INVALID,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # The same message at the same moment on another server: that one handles it.
        return Received(
            TextMessage.objects.get(gateway=gateway, message_id=inbound.message_id), replayed=True
        )
    language = words.language_of(inbound.body, settings.LANGUAGE_CODE)
    reply = _decide(message, municipality, inbound.body, language)
    message.save(update_fields=["outcome", "word", "keyword", "idea", "question", "updated"])
    opted_out = OptOut.objects.filter(phone_hash=message.phone_hash).exists()
    # After STOP the one confirmation is still sent (carriers expect it); nothing else is.
    if reply and (message.outcome == Outcome.STOP or not opted_out):
        sms.enqueue_sms(
            to=phone,
            body=reply,
            key=reply_key(gateway, inbound.message_id),
            gateway=gateway,
            municipality_id=municipality.pk,
            kind=f"textin-{message.outcome}",
        )
    return Received(message, replayed=False)


# --- bans -------------------------------------------------------------------------------------------------
@transaction.atomic
def number_ban(*, message: TextMessage, reason: str, until: dt.datetime | None, actor) -> NumberBan:
    _require(actor, "consultations.moderate", _("Only moderators bar numbers."))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why: the number is told the reason."), field="reason")
    if until is not None and until <= clock.now():
        raise Refused(_("The end of the ban must be in the future."), field="until")
    if not message.phone_hash:
        raise Refused(_("This message's number was erased."))
    ban = NumberBan.objects.create(
        municipality_id=message.municipality_id,
        phone_hash=message.phone_hash,
        shown_as=phones.mask(message.phone),
        reason=reason[:REASON_MAX],
        until=until,
        banned_by=actor,
    )
    audit.record(
        action="textin.ban",
        actor=actor,
        object_type="consultations.textin_message",
        object_id=message.pk,
        detail={"ban": ban.pk, "has_end": until is not None},
    )
    return ban


@transaction.atomic
def number_unban(*, ban: NumberBan, actor) -> None:
    _require(actor, "consultations.moderate", _("Only moderators bar numbers."))
    if ban.lifted_at is not None:
        raise Refused(_("This ban was already lifted."))
    NumberBan.objects.filter(pk=ban.pk).update(lifted_at=clock.now())
    ban.lifted_at = clock.now()
    audit.record(action="textin.unban", actor=actor, object_type="consultations.textin_ban", object_id=ban.pk)


# --- a number's data (the right of access and erasure of a person without an account) --------------------
def _number_hash(raw: str) -> str:
    phone = phones.normalise(raw)
    if not phone:
        raise Refused(_("Enter the phone number in full, with the country code."), field="phone")
    return phones.lookup(phone)


def number_export(*, municipality, phone: str, actor) -> dict:
    """Everything text-in holds about a number: its messages, what each became, and whether it texted STOP.
    For a privacy officer answering a person's request; the request itself is in the audit trail."""
    _require(actor, "consultations.manage", _("Only city administrators answer data requests."))
    phone_hash = _number_hash(phone)
    rows = (
        TextMessage.objects.filter(municipality=municipality, phone_hash=phone_hash)
        .select_related("keyword", "idea", "question")
        .order_by("created", "pk")
    )
    messages = []
    for row in rows:
        item = row.contribution
        messages.append(
            {
                "received": row.created.isoformat(),
                "keyword": row.keyword.word if row.keyword else row.word,
                "outcome": row.outcome,
                "contribution": (
                    {
                        "kind": "idea" if row.idea_id else "question",
                        "id": item.pk,
                        "text": item.text or getattr(item, "title", ""),
                    }
                    if item is not None
                    else None
                ),
            }
        )
    audit.record(
        action="textin.export",
        actor=actor,
        object_type="consultations.textin_number",
        detail={"messages": len(messages)},
    )
    bans = NumberBan.objects.filter(municipality=municipality, phone_hash=phone_hash).order_by("created")
    return {
        "number": phones.normalise(phone),
        "messages": messages,
        "replies_stopped": OptOut.objects.filter(phone_hash=phone_hash).exists(),
        "bans": [
            {
                "since": b.created.isoformat(),
                "reason": b.reason,
                "until": b.until.isoformat() if b.until else None,
                "lifted": b.lifted_at.isoformat() if b.lifted_at else None,
            }
            for b in bans
        ],
    }


@transaction.atomic
def number_erase(*, municipality, phone: str, actor) -> dict[str, int]:
    """Erase a number's text-in data: its contributions are hidden with the reason "removed at its author's
    request" and their text emptied (the thread keeps its shape, as for any hidden item), its message rows
    are deleted, and so is every text message to it in the outbox. A STOP is kept (by hash only), so the
    erasure never restarts replies."""
    _require(actor, "consultations.manage", _("Only city administrators answer data requests."))
    phone_hash = _number_hash(phone)
    rows = TextMessage.objects.filter(municipality=municipality, phone_hash=phone_hash)
    idea_ids = [i for i in rows.values_list("idea_id", flat=True) if i]
    question_ids = [q for q in rows.values_list("question_id", flat=True) if q]
    reason = str(_("Removed at its author's request."))
    now = clock.now()
    ideas = Idea.objects.filter(pk__in=idea_ids).update(
        title="—", text="", hidden=True, hidden_reason=reason, hidden_at=now, awaiting=False
    )
    questions = Question.objects.filter(pk__in=question_ids).update(
        text="—", hidden=True, hidden_reason=reason, hidden_at=now, awaiting=False
    )
    deleted, _counts = rows.delete()
    outbox = sms.forget_sms(recipient_hash=phone_hash)
    counts = {"messages": deleted, "ideas": ideas, "questions": questions, "replies": outbox}
    audit.record(
        action="textin.erase", actor=actor, object_type="consultations.textin_number", detail=dict(counts)
    )
    return counts
