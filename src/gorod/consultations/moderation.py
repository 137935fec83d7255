"""Moderation across every module of the city's engagement projects: banned accounts, and the reads the
back office's moderation desk shows (open flags grouped per item, oldest first; contributions awaiting
pre-moderation). Item kinds come from contributions.REGISTRY, so a new module's contributions appear here
once its models register them. Every moderator decision is appended to the audit trail (ids only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gorod.consultations import contributions
from gorod.consultations.errors import Refused
from gorod.core import audit, clock
from gorod.core.models import BaseModel

REASON_MAX = 300
DESK_SHOWN = 100


class Ban(BaseModel):
    """An account may not contribute, comment or vote in this city's projects (reading stays open). A ban
    without an end lasts until lifted; lifting keeps the row (lifted_at) for the record."""

    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_l("municipality")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_l("account")
    )
    reason = models.CharField(_l("reason"), max_length=REASON_MAX)
    until = models.DateTimeField(_l("until (empty: until lifted)"), null=True, blank=True)
    lifted_at = models.DateTimeField(_l("lifted at"), null=True, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_l("banned by"),
    )

    class Meta:
        verbose_name = _l("ban from projects")
        verbose_name_plural = _l("bans from projects")
        indexes = [models.Index(fields=["user", "municipality"], name="consult_ban_user")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.municipality_id}"


def active_bans(municipality_id: int):
    now = clock.now()
    return Ban.objects.filter(municipality_id=municipality_id, lifted_at__isnull=True).filter(
        Q(until__isnull=True) | Q(until__gt=now)
    )


def ban_of(user, municipality_id: int) -> Ban | None:
    if user is None or not user.is_authenticated:
        return None
    return active_bans(municipality_id).filter(user=user.pk).order_by("-created").first()


def ban_refusal(ban: Ban) -> str:
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    if ban.until is None:
        return _("A moderator has barred your account from taking part in the city's projects: %(r)s") % {
            "r": ban.reason
        }
    return _(
        "A moderator has barred your account from taking part in the city's projects until %(d)s: %(r)s"
    ) % {"d": date_format(localtime(ban.until), "DATETIME_FORMAT"), "r": ban.reason}


@transaction.atomic
def ban_add(*, municipality, user, reason: str, until: dt.datetime | None, actor) -> Ban:
    if not actor.has_perm("consultations.moderate"):
        raise Refused(_("Only moderators bar accounts."))
    if user is None or user.pk == actor.pk:
        raise Refused(_("Choose another account."), field="user")
    if getattr(user, "is_staff_member", False) or user.has_perm("reports.view_backoffice"):
        raise Refused(_("Staff accounts are not barred here."), field="user")
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why: the account is told the reason."), field="reason")
    if until is not None and until <= clock.now():
        raise Refused(_("The end of the ban must be in the future."), field="until")
    ban = Ban(municipality=municipality, user=user, reason=reason[:REASON_MAX], until=until, banned_by=actor)
    ban.full_clean()
    ban.save()
    audit.record(
        action="consultations.ban",
        actor=actor,
        object_type="accounts.user",
        object_id=user.pk,
        detail={"ban": ban.pk, "has_end": until is not None},
    )
    return ban


@transaction.atomic
def ban_lift(*, ban: Ban, actor) -> None:
    if not actor.has_perm("consultations.moderate"):
        raise Refused(_("Only moderators bar accounts."))
    if ban.lifted_at is not None:
        raise Refused(_("This ban was already lifted."))
    Ban.objects.filter(pk=ban.pk).update(lifted_at=clock.now())
    ban.lifted_at = clock.now()
    audit.record(
        action="consultations.unban",
        actor=actor,
        object_type="accounts.user",
        object_id=ban.user_id,
        detail={"ban": ban.pk},
    )


# --- the desk ------------------------------------------------------------------------------------------
@dataclass
class DeskItem:
    target: str
    item: models.Model
    text: str
    project: object
    module: Any = None  # the item's Module (with its phase and project loaded)
    kind: str = ""  # the model's verbose name ("idea", "map contribution"): a map pin may have no text
    flag_count: int = 0
    first_flagged: dt.datetime | None = None
    reasons: list[str] = field(default_factory=list)
    url: str = ""  # set by the desk's view: the item in its place on the public page


def _items(target: str, ids: list[int], municipality_id: int) -> dict[int, models.Model]:
    entry = contributions.REGISTRY[target]
    project = f"{entry.module_path}__phase__project"
    rows = entry.model._default_manager.filter(pk__in=ids, **{f"{project}__municipality": municipality_id})
    return {row.pk: row for row in rows.select_related(project)}


def _module_of(target: str, item):
    obj = item
    for step in contributions.REGISTRY[target].module_path.split("__"):
        obj = getattr(obj, step)
    return obj


def _project_of(target: str, item) -> object:
    return _module_of(target, item).phase.project


def flagged(municipality_id: int) -> list[DeskItem]:
    """Items with unresolved flags in this city's projects, the longest-waiting first, with their count
    and the reasons residents gave. One query for the groups, one per kind, one for the reasons."""
    groups = list(
        contributions.Flag.objects.filter(
            resolved_at__isnull=True, module__phase__project__municipality=municipality_id
        )
        .values("target", "target_id")
        .annotate(n=Count("id"), first=Min("created"))
        .order_by("first", "target", "target_id")[:DESK_SHOWN]
    )
    by_target: dict[str, list[int]] = {}
    for group in groups:
        by_target.setdefault(group["target"], []).append(group["target_id"])
    found = {
        target: _items(target, ids, municipality_id)
        for target, ids in by_target.items()
        if target in contributions.REGISTRY
    }
    reasons: dict[tuple[str, int], list[str]] = {}
    wanted = Q(pk__in=[])
    for target, ids in by_target.items():
        wanted |= Q(target=target, target_id__in=ids)
    for target, target_id, reason in (
        contributions.Flag.objects.filter(wanted, resolved_at__isnull=True)
        .exclude(reason="")
        .order_by("created")
        .values_list("target", "target_id", "reason")
    ):
        reasons.setdefault((target, target_id), []).append(reason)
    out = []
    for group in groups:
        item = found.get(group["target"], {}).get(group["target_id"])
        if item is None:
            continue
        out.append(
            DeskItem(
                target=group["target"],
                item=item,
                text=str(getattr(item, contributions.REGISTRY[group["target"]].text_field, "")),
                project=_project_of(group["target"], item),
                module=_module_of(group["target"], item),
                kind=str(contributions.REGISTRY[group["target"]].model._meta.verbose_name),
                flag_count=group["n"],
                first_flagged=group["first"],
                reasons=reasons.get((group["target"], group["target_id"]), []),
            )
        )
    return out


def awaiting(municipality_id: int) -> list[DeskItem]:
    """Contributions held by pre-moderation, oldest first, across every registered kind."""
    out = []
    for target, entry in contributions.REGISTRY.items():
        project = f"{entry.module_path}__phase__project"
        rows = (
            entry.model._default_manager.filter(
                awaiting=True, **{f"{project}__municipality": municipality_id}
            )
            .select_related(project)
            .order_by("created")[:DESK_SHOWN]
        )
        out += [
            DeskItem(
                target=target,
                item=row,
                text=str(getattr(row, entry.text_field, "")),
                project=_project_of(target, row),
                module=_module_of(target, row),
                kind=str(entry.model._meta.verbose_name),
            )
            for row in rows
        ]
    out.sort(key=lambda d: d.item.created)  # type: ignore[attr-defined]
    return out[:DESK_SHOWN]


def find(municipality_id: int, target: str, pk: int | None):
    """One registered contribution of this city, or None (unknown kind, other city, no such id)."""
    if target not in contributions.REGISTRY or pk is None:
        return None
    return _items(target, [pk], municipality_id).get(pk)
