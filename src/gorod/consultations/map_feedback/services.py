"""Writes of map feedback. Keyword-only, each in one transaction; a refusal raises errors.Refused with a
message for the person and leaves nothing changed. Residents' writes pass access.require first (the
module's kind, its phase's state, the person), so a closed phase refuses with its date."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from gorod.consultations import access, contributions
from gorod.consultations.errors import Refused
from gorod.consultations.map_feedback import questions, selectors
from gorod.consultations.map_feedback.geometry import place_of
from gorod.consultations.map_feedback.models import MapAgreement, MapContribution
from gorod.consultations.models import Module
from gorod.consultations.phases import Action
from gorod.consultations.services.common import full_clean
from gorod.consultations.services.follow import participation_record
from gorod.core import clock

KIND = "map_feedback"
MAX_COMMENT = 2000


def _changed(module_id: int) -> None:
    """The heatmap's cached answer is stale: now (for this process) and again at commit (for a reader
    that cached the old rows under the new version meanwhile)."""
    selectors.heatmap_changed(module_id)
    transaction.on_commit(lambda: selectors.heatmap_changed(module_id))


def _check_kind(module: Module) -> None:
    if module.kind != KIND:
        raise Refused(_("This part of the project does not take that."))


def _sentiment(raw) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise Refused(_("Choose how you feel about this place, from 1 to 5."), field="sentiment")
    return value


def _build(
    *, module: Module, geometry, lat, lon, sentiment, comment: str, answers: dict, tags: list[str]
) -> MapContribution:
    place = place_of(
        geometry=geometry, lat=lat, lon=lon, municipality_id=module.phase.project.municipality_id
    )
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise Refused(_("A comment is at most %(n)d characters.") % {"n": MAX_COMMENT}, field="comment")
    return MapContribution(
        module=module,
        shape=place.shape,
        geometry=place.geometry,
        lat=place.lat,
        lon=place.lon,
        cell=place.cell,
        sentiment=_sentiment(sentiment),
        comment=comment,
        answers=questions.clean_answers(module.settings, answers or {}),
        tags=questions.clean_tags(module.settings, list(tags or [])),
    )


@transaction.atomic
def contribution_add(
    *,
    module: Module,
    user,
    sentiment,
    geometry=None,
    lat=None,
    lon=None,
    comment: str = "",
    answers: dict | None = None,
    tags: list[str] | None = None,
) -> MapContribution:
    _check_kind(module)
    access.require(user=user, module=module, action=Action.CONTRIBUTE)
    contribution = _build(
        module=module,
        geometry=geometry,
        lat=lat,
        lon=lon,
        sentiment=sentiment,
        comment=comment,
        answers=answers or {},
        tags=tags or [],
    )
    contribution.author = user
    # Held for a moderator when the project is pre-moderated, like every module's contributions.
    contribution.awaiting = bool(contributions.held(module).get("awaiting"))
    full_clean(contribution, exclude=["module", "author", "entered_by"])
    contribution.save()
    _changed(module.pk)
    participation_record(project=module.phase.project, user=user)
    return contribution


@transaction.atomic
def paper_response_add(
    *,
    module: Module,
    staff,
    sentiment,
    geometry=None,
    lat=None,
    lon=None,
    comment: str = "",
    answers: dict | None = None,
    tags: list[str] | None = None,
) -> MapContribution:
    """A response written on paper (at a meeting, by post), typed in by staff: marked as paper, with no
    author. Taken in any phase state: the paper may arrive after the phase closed. Never held by
    pre-moderation: the city administrator typing it in is the check, as a moderator's own answer is."""
    _check_kind(module)
    if not staff.has_perm("consultations.manage"):
        raise Refused(_("Only city administrators enter paper responses."))
    contribution = _build(
        module=module,
        geometry=geometry,
        lat=lat,
        lon=lon,
        sentiment=sentiment,
        comment=comment,
        answers=answers or {},
        tags=tags or [],
    )
    contribution.paper = True
    contribution.entered_by = staff
    full_clean(contribution, exclude=["module", "author", "entered_by"])
    contribution.save()
    _changed(module.pk)
    return contribution


@transaction.atomic
def agree(*, contribution: MapContribution, user) -> MapAgreement:
    """Once per person: the unique constraint decides, so a double click or two tabs at the same moment
    make one agreement and one count; the second gets a Refused and nothing changes."""
    module = contribution.module
    access.require(user=user, module=module, action=Action.VOTE)
    if contribution.hidden:
        raise Refused(_("This contribution is hidden."))
    if contribution.awaiting:
        raise Refused(_("This awaits a moderator; it cannot be answered or supported yet."))
    if contribution.author_id is not None and contribution.author_id == user.pk:
        raise Refused(_("You cannot agree with your own contribution."))
    try:
        with transaction.atomic():
            agreement = MapAgreement.objects.create(contribution=contribution, user=user, created=clock.now())
    except IntegrityError as exc:
        raise Refused(_("You have already agreed with this.")) from exc
    MapContribution.objects.filter(pk=contribution.pk).update(agree_count=F("agree_count") + 1)
    participation_record(project=module.phase.project, user=user)
    return agreement


def hide(*, contribution: MapContribution, staff, reason: str) -> None:
    """The shared moderation (contributions.hide: a reason shown in place, the flags closed, the audit
    trail); it also leaves the heatmap, the counts and the export."""
    if len((reason or "").strip()) > 300:
        raise Refused(_("The reason is at most 300 characters."), field="reason")
    contributions.hide(item=contribution, reason=reason, actor=staff)


def show(*, contribution: MapContribution, staff) -> None:
    """Undo a hide, or publish a contribution held by pre-moderation (contributions.show)."""
    contributions.show(item=contribution, actor=staff)


@transaction.atomic
def settings_set(*, module: Module, staff, questions_text: str, tags_text: str) -> Module:
    """Staff define the module's own questions and tags. Changing them later keeps earlier answers (their
    keys stay in the rows), so only add questions once residents have answered."""
    _check_kind(module)
    if not staff.has_perm("consultations.manage"):
        raise Refused(_("Only city administrators change the questions."))
    module.settings = {**(module.settings or {}), **questions.parse(questions_text, tags_text)}
    module.save(update_fields=["settings"])
    return module
