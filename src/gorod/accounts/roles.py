"""Role predicates (django-rules): the building blocks every app's `rules.py` composes into permissions.

A predicate takes (user) or (user, obj); they are cheap (no queries beyond the user row) so a page can ask
many times. Every predicate is false for anonymous visitors and inactive accounts. Roles:

| role            | who                                                                 |
|-----------------|---------------------------------------------------------------------|
| citizen         | signs up on the site; acts on their own reports only                 |
| moderator       | checks incoming reports and department answers, city-wide            |
| executor        | department staff: works the department's queue                      |
| department_head | an executor who also assigns work and reopens disputed reports       |
| city_admin      | everything staff may do, in every department                         |
| auditor         | reads the whole back office, changes nothing, sees no contact details |
"""

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


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _has_role(*roles: str):
    wanted = frozenset(roles)

    @rules.predicate
    def check(user) -> bool:
        return _active(user) and getattr(user, "role", None) in wanted

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
    return _active(user)


@rules.predicate
def has_department(user) -> bool:
    """Department staff without a department work on nothing (a half-configured account)."""
    return _active(user) and getattr(user, "department_id", None) is not None


def needs_second_factor(user) -> bool:
    """Staff accounts sign in with a password and a TOTP code; citizens with a password or a link."""
    return bool(is_staff_member(user))
