"""Reads of a room: its slides in order, and every pin with its replies and its place in words, in a fixed
number of queries whatever the number of pins."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from gorod.consultations.contributions import visible_to
from gorod.consultations.room import places
from gorod.consultations.room.models import Pin, PinReply, RoomInvitation, Slide


def slides(module) -> list[Slide]:
    return list(Slide.objects.filter(module=module).order_by("position", "id"))


def pins(module, *, user, slide_list: list[Slide] | None = None) -> list[Pin]:
    """The visible pins of every slide, each with `.slide` set, `.where` in words and its visible
    replies; ordered by slide, then oldest first."""
    slide_list = slides(module) if slide_list is None else slide_list
    by_id = {s.pk: s for s in slide_list}
    rows = list(
        Pin.objects.filter(slide__module=module)
        .filter(visible_to(user))
        .prefetch_related(
            Prefetch("replies", queryset=PinReply.objects.filter(visible_to(user)).order_by("created", "id"))
        )
        .order_by("slide__position", "created", "id")
    )
    # Numbered through the room: the same number on the picture's marker and in the list beside it.
    for number, pin in enumerate(rows, start=1):
        pin.number = number  # type: ignore[attr-defined]
        pin.slide = by_id[pin.slide_id]
        pin.where = places.where(pin.slide, pin)  # type: ignore[attr-defined]
    return rows


def pin_counts(module) -> dict[int, int]:
    return dict(
        Pin.objects.filter(slide__module=module, hidden=False, awaiting=False)
        .values_list("slide")
        .annotate(n=Count("id"))
        .values_list("slide", "n")
    )


def pin_of(module, pk: int) -> Pin | None:
    return Pin.objects.filter(slide__module=module, pk=pk).select_related("slide").first()


def reply_of(module, pk: int) -> PinReply | None:
    return PinReply.objects.filter(pin__slide__module=module, pk=pk).first()


def slide_of(module, pk) -> Slide | None:
    try:
        return Slide.objects.filter(module=module, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def invitations(module) -> QuerySet[RoomInvitation]:
    return RoomInvitation.objects.filter(module=module).order_by("-created", "-id")
