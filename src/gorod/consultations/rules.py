"""Who may do what in an engagement project, as django-rules permissions on a Module:
`consultations.<action>` = the module's kind offers the action (modules.REGISTRY) AND its phase's state
allows it now (phases.ALLOWS) AND this person may (WHO). A project that is not published has no public
actions at all. Managing projects (`consultations.manage`) is not tied to a phase.

The matrix in tests/consultations/test_permissions.py checks every role × action × phase state × kind."""

from __future__ import annotations

import rules

from gorod.accounts.roles import (
    is_auditor,
    is_city_admin,
    is_department_staff,
    is_moderator,
    is_signed_in,
    is_staff_member,
)
from gorod.consultations import modules, phases
from gorod.consultations.phases import Action


@rules.predicate
def anyone(user) -> bool:
    return True


def module_allows(action: str):
    @rules.predicate
    def check(user, module) -> bool:
        if module is None or not module.phase.project.published:
            return False
        return modules.offers(module.kind, action) and phases.allows(module.phase.state, action)

    check.name = f"module_allows_{action}"
    return check


# Who may act when the module and its phase allow it. Contributions need an account: one voice each, and
# a way to tell participants the outcome.
WHO = {
    Action.READ: anyone,
    Action.CONTRIBUTE: is_signed_in,
    Action.COMMENT: is_signed_in,
    Action.VOTE: is_signed_in,
}

for _action, _who in WHO.items():
    rules.add_perm(f"consultations.{_action}", _who & module_allows(_action))

# Setting projects up and publishing their updates, documents, events and final report.
rules.add_perm("consultations.manage", is_city_admin)
# Staff may read unpublished projects in the back office without changing them.
rules.add_perm("consultations.view_staff", is_staff_member)

# Answering residents' questions publicly as the city (Q&A answers are marked official), and hiding
# contributions with a reason. Auditors read, they do not speak for the city.
rules.add_perm("consultations.answer", is_moderator | is_department_staff | is_city_admin)
rules.add_perm("consultations.moderate", is_moderator | is_city_admin)
# The moderation desk: moderators and city administrators act; auditors read it.
rules.add_perm("consultations.view_moderation", is_moderator | is_city_admin | is_auditor)
