"""What every residents' contribution in a module shares (questions, answers, ideas, comments): it can be
hidden by a moderator with a reason that stays visible in its place (hide, don't delete: the thread keeps
its shape and nobody wonders where a post went), and residents can flag it for a moderator, once each.

Flags name their target by kind and id, so one moderation desk can list the flags of every module kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gorod.consultations import access
from gorod.consultations.errors import Refused
from gorod.consultations.phases import Action
from gorod.core import audit, clock
from gorod.core.models import BaseModel

TEXT_MIN = 3


class Moderated(models.Model):
    hidden = models.BooleanField(_l("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_l("why it was hidden"), max_length=300, blank=True)
    hidden_at = models.DateTimeField(_l("hidden at"), null=True, blank=True)
    # Pre-moderation (Project.premoderated): hidden from everyone but its author until a moderator
    # publishes it. Kept apart from `hidden` so the author sees "awaiting moderation", not a verdict.
    awaiting = models.BooleanField(_l("awaiting moderation"), default=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Moderatable:
    """How the moderation desk finds one kind of contribution: its model, the path from it to its Module,
    and the fields holding its text and author. Each module package registers its own kinds."""

    model: type[models.Model]
    module_path: str
    text_field: str = "text"
    author_field: str = "author"
    # Called after a moderator's decision changes what the public sees (hide, show, publish), inside the
    # transaction: for a module that caches what it draws from its visible items (the map's heatmap).
    on_change: Callable[[models.Model], None] | None = None


# target name (Flag.target) → Moderatable. Filled by register() from each module's models.py.
REGISTRY: dict[str, Moderatable] = {}


def register(
    target: str,
    model: type[models.Model],
    *,
    module_path: str,
    text_field: str = "text",
    on_change: Callable[[models.Model], None] | None = None,
) -> None:
    REGISTRY[target] = Moderatable(
        model=model, module_path=module_path, text_field=text_field, on_change=on_change
    )


def held(module) -> dict:
    """Fields a new contribution starts with: held for a moderator when its project is pre-moderated."""
    return {"awaiting": True} if module.phase.project.premoderated else {}


def visible_to(user) -> models.Q:
    """Contributions a page shows `user`: everything published, plus their own awaiting ones."""
    if user is not None and user.is_authenticated:
        return models.Q(awaiting=False) | models.Q(author=user.pk)
    return models.Q(awaiting=False)


class Flag(BaseModel):
    # `target` names a kind in REGISTRY (each module package registers its own), so it has no fixed
    # choices and a new module needs no migration of this table.
    module = models.ForeignKey(
        "consultations.Module", on_delete=models.CASCADE, related_name="flags", verbose_name=_l("module")
    )
    target = models.CharField(_l("what is flagged"), max_length=20)
    target_id = models.PositiveBigIntegerField(_l("its id"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_l("flagged by")
    )
    reason = models.CharField(_l("reason"), max_length=300, blank=True)
    # Set when a moderator decides on the item (hides it or keeps it): the desk lists unresolved flags.
    resolved_at = models.DateTimeField(_l("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _l("flag")
        verbose_name_plural = _l("flags")
        constraints = [
            models.UniqueConstraint(fields=["target", "target_id", "user"], name="consult_flag_once")
        ]
        indexes = [models.Index(fields=["resolved_at", "created"], name="consult_flag_open")]


def clean_text(text: str, *, field: str, max_length: int, min_length: int = TEXT_MIN) -> str:
    """Stripped text within its bounds, or Refused naming the field. Stored as typed: pages escape it."""
    text = (text or "").strip()
    if "\x00" in text:
        raise Refused(_("The text contains a character that cannot be stored."), field=field)
    if len(text) < min_length:
        raise Refused(_("Write at least %(n)d characters.") % {"n": min_length}, field=field)
    if len(text) > max_length:
        raise Refused(_("Write at most %(n)d characters.") % {"n": max_length}, field=field)
    return text


@transaction.atomic
def flag_add(*, module, target: str, item, user, reason: str = "") -> Flag:
    """A resident asks a moderator to look at `item`. Reading rights suffice (a closed phase's posts can be
    flagged too), but an account is needed: one flag per person and item."""
    access.require(user=user, module=module, action=Action.READ)
    if not (user and user.is_authenticated):
        raise Refused(_("Sign in to take part."))
    if target not in REGISTRY:
        raise Refused(_("This cannot be flagged."))
    reason = (reason or "").strip()[:300]
    try:
        with transaction.atomic():
            return Flag.objects.create(
                module=module, target=target, target_id=item.pk, user=user, reason=reason
            )
    except IntegrityError as exc:
        raise Refused(_("You have already flagged this; a moderator will look at it.")) from exc


def _require_moderator(actor) -> None:
    if not actor.has_perm("consultations.moderate"):
        raise Refused(_("Only moderators hide and show contributions."))


@transaction.atomic
def hide(*, item: Moderated, reason: str, actor) -> None:
    _require_moderator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why it is hidden: the reason is shown in its place."), field="reason")
    type(item)._default_manager.filter(pk=item.pk).update(
        hidden=True, hidden_reason=reason[:300], hidden_at=clock.now(), awaiting=False
    )
    item.hidden, item.hidden_reason, item.awaiting = True, reason[:300], False
    _changed(item)
    _decided(item, action="consultations.hide", actor=actor)


@transaction.atomic
def show(*, item: Moderated, actor) -> None:
    _require_moderator(actor)
    type(item)._default_manager.filter(pk=item.pk).update(
        hidden=False, hidden_reason="", hidden_at=None, awaiting=False
    )
    was_awaiting = item.awaiting
    item.hidden, item.hidden_reason, item.awaiting = False, "", False
    _changed(item)
    _decided(item, action="consultations.publish" if was_awaiting else "consultations.show", actor=actor)


@transaction.atomic
def keep(*, item: Moderated, actor) -> None:
    """The moderator looked at the flags and leaves the item as it is: its flags leave the desk."""
    _require_moderator(actor)
    _decided(item, action="consultations.keep", actor=actor)


def target_of(item) -> str:
    for target, entry in REGISTRY.items():
        if isinstance(item, entry.model):
            return target
    raise Refused(_("This cannot be moderated."))


def _changed(item) -> None:
    on_change = REGISTRY[target_of(item)].on_change
    if on_change is not None:
        on_change(item)
        transaction.on_commit(lambda: on_change(item))


def _decided(item, *, action: str, actor) -> None:
    """Resolve the item's open flags and append the decision to the audit trail (ids only)."""
    target = target_of(item)
    resolved = Flag.objects.filter(target=target, target_id=item.pk, resolved_at__isnull=True).update(
        resolved_at=clock.now()
    )
    audit.record(
        action=action,
        actor=actor,
        object_type=f"consultations.{target}",
        object_id=item.pk,
        detail={"flags_resolved": resolved},
    )
