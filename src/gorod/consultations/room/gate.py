"""What a room adds to the project's permissions (consultations.access): its own opening dates inside
the phase, and, for an invite-only room, membership by an accepted invitation. `refusal` gives the reason
a person can act on, or None; staff of the city read (and manage) every room."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from gorod.consultations import access
from gorod.consultations.errors import Refused
from gorod.consultations.phases import Action
from gorod.consultations.room.models import Room, RoomInvitation
from gorod.core import clock


def room_of(module) -> Room:
    """The module's room settings; a room nobody has set up yet is open with its phase, to everyone."""
    cached = getattr(module, "_room_cache", None)
    if cached is None:
        cached = Room.objects.filter(module=module).first() or Room(module=module)
        module._room_cache = cached
    return cached


def is_member(user, module) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.has_perm("consultations.view_staff"):
        return True
    return RoomInvitation.objects.filter(module=module, accepted_by=user.pk).exists()


def refusal(user, module, action: str) -> str | None:
    room = room_of(module)
    if room.invite_only and not is_member(user, module):
        if user is None or not user.is_authenticated:
            return _(
                "This room is open to invited people only. Sign in with the account you were invited with."
            )
        return _("This room is open to invited people only: open the link in your invitation.")
    reason = access.refusal(user, module, action)
    if reason is not None or action == Action.READ:
        return reason
    now = clock.now()
    if room.opens is not None and now < room.opens:
        return _("This room opens on %(date)s.") % {
            "date": date_format(localtime(room.opens), "DATETIME_FORMAT")
        }
    if room.closes is not None and now >= room.closes:
        return _("This room closed on %(date)s: comments are no longer taken.") % {
            "date": date_format(localtime(room.closes), "DATETIME_FORMAT")
        }
    return None


def require(*, user, module, action: str) -> None:
    reason = refusal(user, module, action)
    if reason is not None:
        raise Refused(reason)
