"""The one check every module's write makes first: `require(user=…, module=…, action=…)` raises Refused
with the reason a person can act on ("this phase is closed", "sign in first"), or returns when the
permission `consultations.<action>` holds. The reasons are worked out in the same order as the permission
(rules.py), and a test holds the two together, so a refusal never names the wrong cause."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from gorod.consultations import moderation, modules, phases
from gorod.consultations.errors import Refused
from gorod.consultations.phases import Action, PhaseState


def refusal(user, module, action: str) -> str | None:
    """Why `user` may not do `action` in `module` now, or None when they may."""
    phase = module.phase
    if not phase.project.published:
        return _("This project is not published.")
    if not modules.offers(module.kind, action):
        return _("This part of the project does not take that.")
    state = phase.state
    if not phases.allows(state, action):
        if state == PhaseState.UPCOMING:
            return _("This phase opens on %(date)s.") % {
                "date": date_format(localtime(phase.starts), "DATE_FORMAT")
            }
        return _("This phase closed on %(date)s: contributions are no longer taken.") % {
            "date": date_format(localtime(phase.ends), "DATE_FORMAT")
        }
    if not user.has_perm(f"consultations.{action}", module):
        return _("Sign in to take part.")
    if action != Action.READ:
        # Checked last: a barred account learns the ban, not a phase date it could not use anyway.
        ban = moderation.ban_of(user, phase.project.municipality_id)
        if ban is not None:
            return moderation.ban_refusal(ban)
    return None


def require(*, user, module, action: str) -> None:
    reason = refusal(user, module, action)
    if reason is not None:
        raise Refused(reason)
