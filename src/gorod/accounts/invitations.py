"""Invitations of outside experts: who may review what, until when (models.ExpertInvitation).

An invitation names one object by its content type and id. INVITABLE lists the kinds of object an
invitation may name, as "app_label.model"; a new kind (a consultation) is one more line here plus the
check in that app's permissions (`is_invited(user, obj)`), no new table or migration.

Writes (invite, revoke) are city administrators' and go to the audit trail; reads are cheap enough for
permission predicates (one indexed query)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from gorod.accounts.models import ExpertInvitation, User
from gorod.accounts.roles import is_city_admin
from gorod.core import audit, clock

# The kinds of object an expert can be invited to review.
INVITABLE = frozenset({"budgeting.process"})
# Long enough for a review round, short enough that a forgotten invitation lapses by itself.
MAX_DAYS = 366


def _label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def live(*, at: dt.datetime | None = None) -> QuerySet[ExpertInvitation]:
    """Invitations in force: not revoked, not yet past `valid_until`."""
    return ExpertInvitation.objects.filter(revoked__isnull=True, valid_until__gt=at or clock.now())


def is_invited(user, obj) -> bool:
    """Whether `user` holds an invitation in force for `obj` (false for visitors and inactive accounts)."""
    if obj is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    return (
        live()
        .filter(user_id=user.pk, target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)
        .exists()
    )


def invitations_of(user) -> QuerySet[ExpertInvitation]:
    """An account's invitations, in force or not, newest first (for the expert's own page)."""
    return ExpertInvitation.objects.filter(user_id=user.pk).select_related("target_type")


def invitations_for(obj) -> QuerySet[ExpertInvitation]:
    """Everyone invited to `obj`, newest first (for the staff page)."""
    return ExpertInvitation.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk
    ).select_related("user", "invited_by")


@transaction.atomic
def invite(*, actor: User, expert: User, target: models.Model, valid_until: dt.datetime) -> ExpertInvitation:
    """Invite `expert` to review `target` until `valid_until`. Only city administrators invite, only
    accounts of the expert role can be invited (staff already see the back office; a resident's account
    would become an expert's without anyone deciding it), and only to the kinds in INVITABLE, of the
    administrator's own municipality where the object has one."""
    if not is_city_admin(actor):
        raise PermissionDenied
    if _label(target) not in INVITABLE or target.pk is None:
        raise ValidationError(_("Experts cannot be invited to this kind of object."))
    owner = getattr(target, "municipality_id", None)
    if actor.municipality_id is not None and owner is not None and owner != actor.municipality_id:
        raise PermissionDenied
    if expert.role != User.Role.EXPERT or not expert.is_active:
        raise ValidationError(
            {"expert": _("Only an active account of the outside expert role can be invited.")}
        )
    now = clock.now()
    if valid_until <= now:
        raise ValidationError({"valid_until": _("The end of the invitation must be in the future.")})
    if valid_until > now + dt.timedelta(days=MAX_DAYS):
        raise ValidationError({"valid_until": _("An invitation lasts at most a year.")})
    invitation = ExpertInvitation(
        user=expert,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        valid_until=valid_until,
        invited_by=actor,
        created=now,
    )
    invitation.full_clean()
    invitation.save()
    audit.record(
        action="expert.invite",
        actor=actor,
        object_type="user",
        object_id=expert.pk,
        detail={"target": _label(target), "target_id": target.pk, "invitation": invitation.pk},
    )
    return invitation


@transaction.atomic
def revoke(*, actor: User, invitation: ExpertInvitation) -> ExpertInvitation:
    """End an invitation now. Revoking twice is harmless (the first time stands)."""
    if not is_city_admin(actor):
        raise PermissionDenied
    row = ExpertInvitation.objects.select_for_update().get(pk=invitation.pk)
    if row.revoked is None:
        row.revoked = clock.now()
        row.save(update_fields=["revoked"])
        audit.record(
            action="expert.revoke",
            actor=actor,
            object_type="user",
            object_id=row.user_id,
            detail={"invitation": row.pk},
        )
    return row


# Where an invited expert does their work, per kind of object: (URL name, the object's attribute that is
# its one argument). Resolved by name, so accounts imports none of the apps it links to.
REVIEW_PAGES = {"budgeting.process": ("budgeting:reviews", "slug")}


@dataclass(frozen=True)
class ReviewLink:
    label: str
    url: str
    valid_until: dt.datetime


def review_links(user) -> list[ReviewLink]:
    """The pages of the objects `user` is invited to now, for their account page."""
    if user.role != User.Role.EXPERT:  # only experts are ever invited (invite refuses others)
        return []
    links = []
    for invitation in live().filter(user_id=user.pk).select_related("target_type").order_by("valid_until"):
        kind = f"{invitation.target_type.app_label}.{invitation.target_type.model}"
        page = REVIEW_PAGES.get(kind)
        target = invitation.target_type.model_class()._default_manager.filter(pk=invitation.target_id).first()  # type: ignore[union-attr]
        if page is None or target is None:
            continue
        label = getattr(target, "label", None) or str(target)
        links.append(
            ReviewLink(str(label), reverse(page[0], args=[getattr(target, page[1])]), invitation.valid_until)
        )
    return links
