"""The demo's accounts (one per role, all with the same published password) and its Open311 API key.

These are demo credentials, printed on purpose by `seed_demo` and `demo_accounts`; never run seed_demo on
a production database. The API key is stored as open311.services stores every key — only its SHA-256 —
but its value is fixed so that the demo's documentation and scripts can use it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from gorod.accounts.models import User
from gorod.city.models import Department, Municipality
from gorod.open311.models import ApiKey
from gorod.open311.services import hash_key

DEMO_PASSWORD = "gorod-demo"  # noqa: S105 (published on purpose: demo data only)
DEMO_API_KEY = "g311_demo-spb-key-not-a-secret"
DEMO_API_KEY_NAME = "Демо-клиент Open311 (demo client)"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    department: str | None = None  # slug of the department the staff member works in
    superuser: bool = False


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("citizen", User.Role.CITIZEN, "Анна", "Горожанина"),
    DemoAccount("moderator", User.Role.MODERATOR, "Марина", "Модераторова", department="gmc"),
    DemoAccount("executor", User.Role.EXECUTOR, "Пётр", "Исполнителев", department="zha-tsentralny"),
    DemoAccount("head", User.Role.DEPARTMENT_HEAD, "Ольга", "Начальникова", department="zha-tsentralny"),
    DemoAccount("admin", User.Role.CITY_ADMIN, "Админ", "Городской", superuser=True),
    DemoAccount("auditor", User.Role.AUDITOR, "Игорь", "Аудиторов"),
)


@transaction.atomic
def demo_accounts_ensure(municipality: Municipality, *, reset_passwords: bool = False) -> dict[str, User]:
    """Create the demo accounts, or bring existing ones back to their demo role and department.
    Passwords are set for new accounts, and for all of them with reset_passwords (hashing is slow)."""
    departments = {d.slug: d for d in Department.objects.filter(municipality=municipality)}
    users: dict[str, User] = {}
    model = get_user_model()
    for account in ACCOUNTS:
        user, created = model.objects.get_or_create(username=account.username)
        user.role = account.role
        user.first_name, user.last_name = account.first_name, account.last_name
        user.email = f"{account.username}@example.org"
        user.department = departments.get(account.department) if account.department else None
        user.is_superuser = user.is_staff = account.superuser
        user.is_active = True
        if created or reset_passwords or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        users[account.username] = user
    return users


def demo_api_key_ensure() -> ApiKey:
    """The demo's Open311 key, stored hashed like every other key (open311.services.hash_key)."""
    api_key, _ = ApiKey.objects.update_or_create(
        key_hash=hash_key(DEMO_API_KEY),
        defaults={"name": DEMO_API_KEY_NAME, "prefix": DEMO_API_KEY[:8], "active": True},
    )
    return api_key


def describe() -> list[str]:
    """Lines to print: who can log in with what, and the API key."""
    model = get_user_model()
    present = {u.username: u for u in model.objects.filter(username__in=[a.username for a in ACCOUNTS])}
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for account in ACCOUNTS:
        user = present.get(account.username)
        if user is None:
            lines.append(f"  {account.username:<10} (missing: run `gorod seed_demo`)")
            continue
        dept = f", {user.department.name}" if user.department else ""
        extra = ", superuser" if user.is_superuser else ""
        lines.append(f"  {account.username:<10} {user.get_role_display()}{dept}{extra}")
    active = ApiKey.objects.filter(key_hash=hash_key(DEMO_API_KEY), active=True).exists()
    lines.append(
        f"Open311 API key: {DEMO_API_KEY}" + ("" if active else " (not installed: run `gorod seed_demo`)")
    )
    return lines
