"""Staff of the test city, one per role, and clients signed in as them (second factor passed)."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts.models import User
from tests.helpers import login_verified

ROLES = ("moderator", "executor", "head", "other_executor", "admin", "auditor", "citizen")


@pytest.fixture
def staff(city):
    """role name → user. Executor and head work in "roads" (pothole, graffiti); other_executor in
    "yards" (litter, snow)."""
    departments = {d.slug: d for d in city.departments.all()}
    spec = {
        "moderator": (User.Role.MODERATOR, None),
        "executor": (User.Role.EXECUTOR, "roads"),
        "head": (User.Role.DEPARTMENT_HEAD, "roads"),
        "other_executor": (User.Role.EXECUTOR, "yards"),
        "admin": (User.Role.CITY_ADMIN, None),
        "auditor": (User.Role.AUDITOR, None),
        "citizen": (User.Role.CITIZEN, None),
    }
    users = {}
    for name, (role, department) in spec.items():
        users[name] = User.objects.create_user(
            username=name,
            email=f"{name}@example.org",
            password="x",
            role=role,
            department=departments.get(department) if department else None,
            first_name=name.capitalize(),
            last_name="Testov",
        )
    return users


@pytest.fixture
def client_for(staff):
    """A fresh client signed in as the user of this role, TOTP verified."""

    def make(role: str) -> Client:
        client = Client()
        user = staff[role]
        if user.role == User.Role.CITIZEN:
            client.force_login(user)
            return client
        return login_verified(client, user)

    return make
