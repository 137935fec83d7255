"""Writes of a room. Keyword-only, one transaction each; a refusal raises Refused and changes nothing
(a slide file is written only once every check has passed).

Residents pin comments and reply (gate.require: phase and room open, invited when invite-only, not
barred); city administrators (consultations.manage) set the room up, upload slides and invite people."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from gorod.city import selectors as city_selectors
from gorod.consultations.contributions import clean_text, held
from gorod.consultations.errors import Refused
from gorod.consultations.phases import Action
from gorod.consultations.room import gate, places, slides
from gorod.consultations.room.models import (
    PIN_MAX,
    REPLY_MAX,
    Pin,
    PinReply,
    Room,
    RoomInvitation,
    Slide,
    SlideKind,
)
from gorod.consultations.services.common import full_clean
from gorod.consultations.services.follow import participation_record
from gorod.core import clock, crypto
from gorod.core.mail import enqueue_email

KIND = "room"
MAX_SLIDES = 30
MAX_INVITES_AT_ONCE = 200
MAX_EMAIL = 254


def _require_room(module) -> None:
    if module.kind != KIND:
        raise Refused(_("This part of the project does not take that."))


def _require_manager(actor) -> None:
    if not actor.has_perm("consultations.manage"):
        raise Refused(_("Only city administrators set rooms up."))


# --- residents ------------------------------------------------------------------------------------------
@transaction.atomic
def pin_add(*, slide: Slide, user, text: str, x=None, y=None, yaw=None, pitch=None, region: str = "") -> Pin:
    module = slide.module
    _require_room(module)
    gate.require(user=user, module=module, action=Action.COMMENT)
    point = places.clean_point(slide.kind, x=x, y=y, yaw=yaw, pitch=pitch, region=region)
    text = clean_text(text, field="text", max_length=PIN_MAX)
    pin = Pin(slide=slide, author=user, text=text, **point.__dict__, **held(module))
    full_clean(pin, exclude=["author"])
    pin.save()
    participation_record(project=module.phase.project, user=user)
    return pin


@transaction.atomic
def reply_add(*, pin: Pin, user, text: str) -> PinReply:
    module = pin.slide.module
    _require_room(module)
    gate.require(user=user, module=module, action=Action.COMMENT)
    if pin.hidden:
        raise Refused(_("This comment is hidden."))
    if pin.awaiting:
        raise Refused(_("This awaits a moderator; it cannot be answered or supported yet."))
    text = clean_text(text, field="text", max_length=REPLY_MAX)
    reply = PinReply.objects.create(pin=pin, author=user, text=text, **held(module))
    participation_record(project=module.phase.project, user=user)
    return reply


# --- staff ----------------------------------------------------------------------------------------------
@transaction.atomic
def room_set(
    *, module, actor, opens: dt.datetime | None, closes: dt.datetime | None, invite_only: bool
) -> Room:
    _require_room(module)
    _require_manager(actor)
    if opens is not None and closes is not None and closes <= opens:
        raise Refused(_("The room must close after it opens."), field="closes")
    room, _created = Room.objects.select_for_update().get_or_create(module=module)
    room.opens, room.closes, room.invite_only = opens, closes, bool(invite_only)
    full_clean(room)
    room.save()
    module._room_cache = room
    return room


@transaction.atomic
def slide_add(
    *, module, actor, kind: str, title: str, description: str, data: bytes, page: int | None = None
) -> list[Slide]:
    """Check and re-encode first, save after: a refused file leaves no slide and no file. A PDF without a
    page number adds one slide per page (as many as fit in the room)."""
    _require_room(module)
    _require_manager(actor)
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise Refused(_("Give the slide a title."), field="title")
    if not description:
        raise Refused(
            _("Say in words what the picture shows: it is read to people who cannot see it."),
            field="description",
        )
    if kind not in SlideKind.values:
        raise Refused(_("Choose the kind of slide."), field="kind")
    existing = Slide.objects.select_for_update().filter(module=module).count()
    files = slides.files_for(kind, data, page=page)
    if existing + len(files) > MAX_SLIDES:
        raise Refused(
            _("A room holds at most %(n)d slides; it has %(have)d.") % {"n": MAX_SLIDES, "have": existing},
            field="file",
        )
    made = []
    for offset, (number, slide_file) in enumerate(files):
        slide = Slide(
            module=module,
            kind=kind,
            title=title if len(files) == 1 else f"{title} ({_('page %(n)d') % {'n': number}})"[:200],
            description=description[:500],
            width=slide_file.width,
            height=slide_file.height,
            position=existing + offset + 1,
        )
        full_clean(slide, exclude=["image"])
        made.append((slide, slide_file))
    for slide, slide_file in made:
        slide.image.save(f"{kind}.jpg", slide_file.content, save=False)
        slide.save()
    return [slide for slide, _file in made]


@transaction.atomic
def slide_delete(*, slide: Slide, actor) -> None:
    """Removes the slide with its pins and replies; the remaining slides keep their order, renumbered."""
    _require_manager(actor)
    module, name, storage = slide.module, slide.image.name, slide.image.storage
    slide.delete()
    for number, row in enumerate(Slide.objects.filter(module=module).order_by("position", "id"), start=1):
        if row.position != number:
            Slide.objects.filter(pk=row.pk).update(position=number)
    transaction.on_commit(lambda: storage.delete(name) if name else None)


@transaction.atomic
def slide_move(*, slide: Slide, actor, up: bool) -> None:
    _require_manager(actor)
    rows = list(Slide.objects.select_for_update().filter(module=slide.module).order_by("position", "id"))
    index = next(i for i, row in enumerate(rows) if row.pk == slide.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for number, row in enumerate(rows, start=1):
        Slide.objects.filter(pk=row.pk).update(position=number)


def _clean_addresses(text: str) -> list[str]:
    found: list[str] = []
    for raw in (text or "").replace(",", "\n").replace(";", "\n").split():
        address = raw.strip()
        if not address:
            continue
        if len(address) > MAX_EMAIL or "\x00" in address:
            raise Refused(_("This is not an e-mail address: %(a)s") % {"a": address[:60]}, field="emails")
        try:
            validate_email(address)
        except ValidationError:
            raise Refused(
                _("This is not an e-mail address: %(a)s") % {"a": address[:60]}, field="emails"
            ) from None
        if address.lower() not in {a.lower() for a in found}:
            found.append(address)
    if not found:
        raise Refused(_("Enter at least one e-mail address."), field="emails")
    if len(found) > MAX_INVITES_AT_ONCE:
        raise Refused(_("At most %(n)d addresses at once.") % {"n": MAX_INVITES_AT_ONCE}, field="emails")
    return found


def invitation_path(module, token: str) -> str:
    return reverse("consultations:room-invitation", args=[module.phase.project.slug, module.pk, token])


@transaction.atomic
def invite(*, module, actor, emails: str, language: str = "") -> tuple[int, int]:
    """Invite each address once: a mail with a link (a fresh random token, of which only the hash is kept)
    goes into the outbox in this transaction. Returns (invited now, invited before)."""
    _require_room(module)
    _require_manager(actor)
    addresses = _clean_addresses(emails)
    project = module.phase.project
    site = city_selectors.site_url(project.municipality_id)
    new, before = 0, 0
    for address in addresses:
        email_hash = crypto.lookup_hash(address)
        if RoomInvitation.objects.filter(module=module, email_hash=email_hash).exists():
            before += 1
            continue
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                invitation = RoomInvitation.objects.create(
                    module=module,
                    email=address,
                    email_hash=email_hash,
                    token_hash=RoomInvitation.hash_token(token),
                    invited_by=actor,
                )
        except IntegrityError:  # the same address invited twice at once
            before += 1
            continue
        with translation.override(language or translation.get_language()):
            context = {
                "project": project,
                "module": module,
                "link": site + invitation_path(module, token),
                "room": gate.room_of(module),
            }
            subject = render_to_string("consultations/room/email/invite_subject.txt", context).strip()
            body = render_to_string("consultations/room/email/invite.txt", context)
        enqueue_email(
            to=address,
            subject=subject,
            body=body,
            key=f"room-invite|{invitation.pk}",
            municipality_id=project.municipality_id,
        )
        new += 1
    return new, before


def invitation_for(module, token: str) -> RoomInvitation | None:
    if not token or len(token) > 100:
        return None
    return RoomInvitation.objects.filter(module=module, token_hash=RoomInvitation.hash_token(token)).first()


@transaction.atomic
def invitation_accept(*, module, token: str, user) -> RoomInvitation:
    """The signed-in person whose address was invited becomes a member. A link forwarded to someone else
    does not let them in: the account's address must be the invited one."""
    if user is None or not user.is_authenticated:
        raise Refused(_("Sign in to take part."))
    invitation = invitation_for(module, token)
    if invitation is None:
        raise Refused(_("This invitation link is not valid. Ask the organisers for a new one."))
    invitation = RoomInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_by_id == user.pk:
        return invitation
    if invitation.accepted_by_id is not None:
        raise Refused(_("This invitation has already been used by another account."))
    if not user.email_hash or user.email_hash != invitation.email_hash:
        raise Refused(
            _("This invitation was sent to another address. Sign in with the account of that address.")
        )
    RoomInvitation.objects.filter(pk=invitation.pk).update(accepted_by=user, accepted_at=clock.now())
    invitation.accepted_by, invitation.accepted_at = user, clock.now()
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: RoomInvitation, actor) -> None:
    _require_manager(actor)
    invitation.delete()
