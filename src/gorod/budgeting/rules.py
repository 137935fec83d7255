"""Who may do what in a budgeting process, as django-rules permissions `budgeting.<action>` on a Process.

Each phased permission is "the current phase allows the action" (phases.ALLOWS) AND "this person may do
it" (WHO below). An expert is whoever the city assigned to the process (models.ExpertAssignment), or an
account invited to it with the invitation in force (accounts.invitations); an account of the outside
expert role counts only by invitation. Whether a person may *vote* is decided at ballot time
by the eligibility plug-ins, not here: the permission only says the ballot is open.

The matrix in tests/budgeting/test_permissions.py checks every role × action × phase against WHO."""

from __future__ import annotations

import rules

from gorod.accounts.invitations import is_invited
from gorod.accounts.models import User
from gorod.accounts.roles import is_city_admin, is_department_staff, is_signed_in, is_staff_member
from gorod.budgeting import phases
from gorod.budgeting.phases import Action


@rules.predicate
def anyone(user) -> bool:
    return True


@rules.predicate
def is_assigned_expert(user, process) -> bool:
    """Assigned to the process; or, for an account of the outside-expert role, invited to it with the
    invitation in force (accounts.invitations): when it lapses or is revoked, an old assignment does not
    keep the door open."""
    if process is None or not is_signed_in(user):
        return False
    # Only outside-expert accounts can be invited (accounts.invitations.invite), so everyone else is
    # asked one question, as before invitations existed: the pages' query counts stay as they were.
    if user.role == User.Role.EXPERT:
        return is_invited(user, process)
    return process.experts.filter(user=user).exists()


def phase_allows(action: str):
    @rules.predicate
    def check(user, process) -> bool:
        if process is None:
            return False
        current = phases.current_phase(process.phase_list())
        return phases.allows(current.kind if current else None, action)

    check.name = f"phase_allows_{action}"
    return check


@rules.predicate
def results_visible(user, process) -> bool:
    """Results stay readable from their publication on, whatever phase follows."""
    return process is not None and process.results_published is not None


# Who may act, whatever the phase. The phase condition is added below.
WHO = {
    Action.SUBMIT_IDEA: is_signed_in,
    Action.SUPPORT: is_signed_in,
    Action.DRAW_LOTTERY: is_city_admin,
    Action.REVIEW: is_assigned_expert,
    Action.VOTE: anyone,
    Action.VIEW_RESULTS: anyone,
    Action.TRACK_IMPLEMENTATION: is_city_admin | is_department_staff,
}

for _action, _who in WHO.items():
    _phased = phase_allows(_action)
    if _action == Action.VIEW_RESULTS:
        _phased = _phased | results_visible
    rules.add_perm(f"budgeting.{_action}", _who & _phased)

# Not tied to a phase: setting a process up (budgets, census, codes, experts) and publishing results.
rules.add_perm("budgeting.manage", is_city_admin)
# Staff may read the back-office side of a process (support counts, review queue) without changing it.
rules.add_perm("budgeting.view_staff", is_staff_member)
