"""Implementation tracking: milestones of funded projects, with photos re-encoded like report photos."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Milestone, Project
from gorod.budgeting.phases import Action
from gorod.budgeting.services.ideas import _amount
from gorod.budgeting.services.processes import _full_clean
from gorod.core.images import PhotoRejected, clean_photo


def milestone_add(
    *, project: Project, actor, date: dt.date, text: str, money_spent=0, photo: bytes | None = None
) -> Milestone:
    project = Project.objects.select_related("process").get(pk=project.pk)  # the current status
    if actor is None or not actor.has_perm(f"budgeting.{Action.TRACK_IMPLEMENTATION}", project.process):
        raise Refused(_("Implementation progress cannot be recorded now, or not by you."))
    if project.status != Project.Status.FUNDED:
        raise Refused(_("Only funded projects have milestones."))
    text = (text or "").strip()
    if not text:
        raise Refused(_("Say what was done."), field="text")
    spent = (
        _amount(money_spent, field="money_spent") if str(money_spent or "").strip() not in ("", "0") else 0
    )
    content = None
    if photo:
        try:
            content = clean_photo(photo)  # re-encoded: no EXIF, no GPS, no hostile decoder input
        except PhotoRejected as exc:
            raise Refused(str(exc), field="photo") from exc
    saved: list[str] = []
    try:
        with transaction.atomic():
            milestone = Milestone(project=project, date=date, text=text, money_spent=spent)
            _full_clean(milestone, exclude=["project", "photo"])
            if content is not None:
                milestone.photo.save("milestone.jpg", content, save=False)
                saved.append(str(milestone.photo.name))
            milestone.save()
    except BaseException:
        # The row is rolled back; its file must go too, or no one could ever find (and erase) it.
        for name in saved:
            Milestone._meta.get_field("photo").storage.delete(name)
        raise
    return milestone
