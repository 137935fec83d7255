"""What rooms hold about a person, for the privacy app's export and erasure (settings.GOROD_PERSONAL_DATA;
gorod.info.personal_data describes the interface).

Pinned comments and replies are exported; on erasure they stay, like every other contribution to a
project, without their author (the account's deletion sets it to null). Invitations hold an address:
those to the account's address, and the memberships they gave, are deleted."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gorod.consultations.room import places
from gorod.consultations.room.models import Pin, PinReply, RoomInvitation


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _invitations(user):
    mine = Q(accepted_by=user.pk)
    if user.email_hash:
        mine |= Q(email_hash=user.email_hash)
    return RoomInvitation.objects.filter(mine)


def export(user) -> dict[str, Any]:
    pins = Pin.objects.filter(author=user).select_related("slide__module").order_by("created", "pk")
    replies = PinReply.objects.filter(author=user).order_by("created", "pk")
    return {
        "room_comments": [
            {
                "id": p.pk,
                "created": _iso(p.created),
                "room": p.slide.module_id,
                "where": places.where(p.slide, p),
                "text": p.text,
                "hidden": p.hidden,
            }
            for p in pins
        ],
        "room_replies": [
            {"id": r.pk, "created": _iso(r.created), "comment": r.pin_id, "text": r.text, "hidden": r.hidden}
            for r in replies
        ],
        "room_invitations": [
            {"room": i.module_id, "invited": _iso(i.created), "accepted": _iso(i.accepted_at)}
            for i in _invitations(user).order_by("created", "pk")
        ],
    }


def erase(user) -> dict[str, int]:
    deleted, _by_model = _invitations(user).delete()
    return {"room_invitations": deleted}
