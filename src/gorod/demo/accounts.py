"""The demo's accounts (one per role, all with the same published password) and its Open311 API key.

These are demo credentials, printed on purpose by `seed_demo` and `demo_accounts`; never run seed_demo on
a production database. The API key is stored as open311.services stores every key — only its SHA-256 —
but its value is fixed so that the demo's documentation and scripts can use it.

Staff sign in with a second factor. Every demo staff account gets a confirmed TOTP device with the same
published secret (DEMO_TOTP_SECRET, for an authenticator app) and the same published backup codes;
`gorod demo_totp USERNAME` prints the current code. Demo only, like the password."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gorod.accounts.models import User
from gorod.accounts.roles import STAFF_ROLES
from gorod.city.models import Department, Municipality
from gorod.open311.models import ApiKey
from gorod.open311.services import hash_key

DEMO_PASSWORD = "gorod-demo"  # noqa: S105 (published on purpose: demo data only)
DEMO_API_KEY = "g311_demo-spb-key-not-a-secret"
DEMO_API_KEY_NAME = "Демо-клиент Open311 (demo client)"
# The TOTP key of every demo staff account: 20 published bytes (hex, as django-otp stores it).
DEMO_TOTP_KEY = b"gorod-demo-totp-key!".hex()
DEMO_TOTP_SECRET = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()  # what an authenticator app takes
DEMO_TOTP_DEVICE = "demo authenticator"
DEMO_BACKUP_CODES = ("demo1111", "demo2222", "demo3333", "demo4444", "demo5555")
DEMO_BACKUP_DEVICE = "demo backup codes"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    department: str | None = None  # slug of the department the staff member works in
    superuser: bool = False
    email: str = ""  # staff: f"{username}@example.org"
    city: str = ""  # the slug of the second demo city for its own staff; "": the main demo city

    @property
    def address(self) -> str:
        return self.email or f"{self.username}@example.org"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("citizen", User.Role.CITIZEN, "Анна", "Горожанина", email="anna.citizen@example.org"),
    DemoAccount("moderator", User.Role.MODERATOR, "Марина", "Модераторова", department="gmc"),
    DemoAccount("executor", User.Role.EXECUTOR, "Пётр", "Исполнителев", department="zha-tsentralny"),
    DemoAccount("head", User.Role.DEPARTMENT_HEAD, "Ольга", "Начальникова", department="zha-tsentralny"),
    DemoAccount("admin", User.Role.CITY_ADMIN, "Админ", "Городской", superuser=True),
    DemoAccount("auditor", User.Role.AUDITOR, "Игорь", "Аудиторов"),
    # An outside expert: sees only what an invitation names (demo.stories invites it to a process).
    DemoAccount("reviewer", User.Role.EXPERT, "Лев", "Независимов"),
    # The second demo city's moderator: works in Petrozavodsk only, sees nothing of St Petersburg.
    DemoAccount("moderator-ptz", User.Role.MODERATOR, "Ирина", "Онежская", city="petrozavodsk"),
)


@transaction.atomic
def demo_accounts_ensure(
    municipality: Municipality, *, reset_passwords: bool = False, second_city: bool = False
) -> dict[str, User]:
    """Create the demo accounts, or bring existing ones back to their demo role and department.
    Passwords are set for new accounts, and for all of them with reset_passwords (hashing is slow).
    Staff get the demo TOTP device and backup codes back; the e-mail is stored encrypted.
    With second_city, the accounts of that city (DemoAccount.city), which work in it only."""
    departments = {d.slug: d for d in Department.objects.filter(municipality=municipality)}
    users: dict[str, User] = {}
    model = get_user_model()
    wanted = municipality.slug if second_city else ""
    for account in (a for a in ACCOUNTS if a.city == wanted):
        user, created = model.objects.get_or_create(username=account.username)
        user.role = account.role
        user.first_name, user.last_name = account.first_name, account.last_name
        user.email = account.address  # encrypted column + look-up hash (accounts.models.User.email)
        user.email_verified = True  # demo addresses are ours; the citizen's old reports show as theirs
        if not account.is_staff_role:
            user.display_name = f"{account.first_name} {account.last_name}"
        user.department = departments.get(account.department) if account.department else None
        if account.city:
            user.municipality = municipality
        user.is_superuser = user.is_staff = account.superuser
        user.is_active = True
        if created or reset_passwords or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        users[account.username] = user
        if account.is_staff_role:
            _demo_second_factor(user)
    return users


def _demo_second_factor(user: User) -> None:
    TOTPDevice.objects.filter(user=user).exclude(name=DEMO_TOTP_DEVICE).delete()
    TOTPDevice.objects.update_or_create(
        user=user,
        name=DEMO_TOTP_DEVICE,
        defaults={"key": DEMO_TOTP_KEY, "confirmed": True, "last_t": -1, "drift": 0},
    )
    StaticDevice.objects.filter(user=user).exclude(name=DEMO_BACKUP_DEVICE).delete()
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=DEMO_BACKUP_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in DEMO_BACKUP_CODES])


class NotADemoAccount(Exception):
    pass


def demo_totp_code(username: str) -> str:
    """The current 6-digit code of a demo staff account. Refuses any account that is not one of the demo
    staff accounts or whose device no longer has the published demo key."""
    account = next((a for a in ACCOUNTS if a.username == username and a.is_staff_role), None)
    if account is None:
        raise NotADemoAccount(username)
    device = TOTPDevice.objects.filter(
        user__username=username, name=DEMO_TOTP_DEVICE, key=DEMO_TOTP_KEY, confirmed=True
    ).first()
    if device is None:
        raise NotADemoAccount(username)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


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
    present = {
        u.username: u
        for u in model.objects.filter(username__in=[a.username for a in ACCOUNTS]).select_related(
            "department", "municipality"
        )
    }
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for account in ACCOUNTS:
        user = present.get(account.username)
        if user is None:
            lines.append(f"  {account.username:<10} (missing: run `gorod seed_demo`)")
            continue
        dept = f", {user.department.name}" if user.department else ""
        if user.municipality is not None and user.department is None:
            dept = f", {user.municipality.name}"
        extra = ", superuser" if user.is_superuser else ""
        lines.append(f"  {account.username:<10} {user.get_role_display()}{dept}{extra}")
    lines += [
        "Staff accounts (all but citizen and reviewer) also ask for a one-time code after the password:",
        "  uv run gorod demo_totp USERNAME   prints the current 6-digit code, or",
        f"  add the demo TOTP secret {DEMO_TOTP_SECRET} to an authenticator app, or",
        f"  use a backup code (each once per seed): {', '.join(DEMO_BACKUP_CODES)}",
    ]
    active = ApiKey.objects.filter(key_hash=hash_key(DEMO_API_KEY), active=True).exists()
    lines.append(
        f"Open311 API key: {DEMO_API_KEY}" + ("" if active else " (not installed: run `gorod seed_demo`)")
    )
    return lines
