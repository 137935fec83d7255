"""Role predicates (django-rules): the building blocks every app's `rules.py` composes into permissions.

A predicate takes (user) or (user, obj); they are cheap (no queries beyond the user row) so a page can ask
many times. Staff predicates are false for inactive accounts."""

from __future__ import annotations

import rules

from gorod.accounts.models import User

STAFF_ROLES = frozenset(
    {
        User.Role.MODERATOR,
        User.Role.EXECUTOR,
        User.Role.DEPARTMENT_HEAD,
        User.Role.CITY_ADMIN,
        User.Role.AUDITOR,
    }
)


def _has_role(*roles: str):
    wanted = frozenset(roles)

    @rules.predicate
    def check(user) -> bool:
        return bool(
            user and user.is_authenticated and user.is_active and getattr(user, "role", None) in wanted
        )

    check.name = "has_role_" + "_or_".join(sorted(wanted))
    return check


is_citizen = _has_role(User.Role.CITIZEN)
is_moderator = _has_role(User.Role.MODERATOR)
is_executor = _has_role(User.Role.EXECUTOR)
is_department_head = _has_role(User.Role.DEPARTMENT_HEAD)
is_city_admin = _has_role(User.Role.CITY_ADMIN)
is_auditor = _has_role(User.Role.AUDITOR)
is_staff_member = _has_role(*STAFF_ROLES)
is_department_staff = is_executor | is_department_head


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)
