"""What rooms hold about a person beyond their writing, for consultations.personal_data (which exports
and erases pinned comments and replies with every other contribution): invitations. An invitation holds
an address; those to the person's address, and the memberships they gave, are exported and, on erasure,
deleted."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gorod.consultations.room.models import RoomInvitation


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _invitations(user):
    mine = Q(accepted_by=user.pk)
    if user.email_hash:
        mine |= Q(email_hash=user.email_hash)
    return RoomInvitation.objects.filter(mine)


def export(user) -> dict[str, Any]:
    return {
        "room_invitations": [
            {"module": i.module_id, "invited": _iso(i.created), "accepted": _iso(i.accepted_at)}
            for i in _invitations(user).order_by("created", "pk")
        ]
    }


def erase(user) -> dict[str, int]:
    deleted, _by_model = _invitations(user).delete()
    return {"consultation_room_invitations": deleted}
