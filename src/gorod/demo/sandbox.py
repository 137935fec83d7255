"""The training sandbox (`gorod sandbox`, docs/sandbox.md): a separate, made-up municipality where new
staff practise, with a few dozen reports and training staff accounts.

What makes it a sandbox is `sandbox: true` in its city file (Municipality.is_sandbox): the apps read the
flag to mark its pages, send its mail nowhere and leave it out of Open311, open data and the choice of a
default city. This module only builds it, and wipes it for `--reset`.

The training accounts get random passwords, printed once when they are made: unlike the demo's, the
sandbox is meant for production installations, where a published password would be a way in. They set
up their second factor at the first sign-in, as every new staff member does."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from gorod.accounts.models import User
from gorod.city import districts
from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Department, Municipality, RoutingRule
from gorod.city.services import city_import, read_city_file
from gorod.core import clock
from gorod.demo.city import SANDBOX_FILE
from gorod.demo.reports.history import Generator, World
from gorod.reports.models import Report
from gorod.reports.services.bulk import reports_delete_for, reports_load_history

REPORTS = 60
# A seed of its own, so the sandbox's report tokens are not the demo city's.
SEED_OFFSET = 2_000_000


@dataclass(frozen=True)
class Trainee:
    role: str
    first_name: str
    last_name: str
    department: int | None = None  # index into the city file's departments; None: the whole town


# One per role a new staff member practises. Usernames are "<prefix><role>", the prefix the city's slug.
TRAINEES = (
    Trainee(User.Role.MODERATOR, "Учебный", "Модератор"),
    Trainee(User.Role.EXECUTOR, "Учебный", "Исполнитель", department=0),
    Trainee(User.Role.DEPARTMENT_HEAD, "Учебный", "Начальник", department=0),
)


class SandboxRefused(Exception):
    """The sandbox cannot be built from this file; nothing was written."""


@dataclass
class Account:
    username: str
    role: str
    department: str
    password: str | None  # None: the account existed and keeps its password


@dataclass
class SandboxResult:
    municipality: Municipality
    reports_added: int
    reports_total: int
    accounts: list[Account] = field(default_factory=list)
    wiped: int = 0  # reports deleted by a reset

    @property
    def hosts(self) -> list[str]:
        return sorted(self.municipality.site_hosts.values_list("host", flat=True))


def username(municipality_slug: str, role: str) -> str:
    return f"{municipality_slug}-{role.replace('_', '-')}"


def sandbox_ensure(
    *,
    city_file: Path = SANDBOX_FILE,
    reset: bool = False,
    reports: int = REPORTS,
    seed: int = 1,
    anchor: dt.date | None = None,
) -> SandboxResult:
    """Import the sandbox's city file, its training accounts and, when it has none, `reports` reports.
    Running it again changes nothing but the configuration the file holds; with reset, the sandbox and
    its accounts are deleted first and made anew (new passwords)."""
    city = read_city_file(city_file)  # CityFileInvalid says what is wrong and where
    slug = city.municipality.slug
    if not city.municipality.sandbox:
        raise SandboxRefused(f"{city_file}: the municipality must say `sandbox: true`.")
    existing = Municipality.objects.filter(slug=slug).first()
    if existing is not None and not existing.is_sandbox:
        raise SandboxRefused(
            f"The municipality {slug!r} exists and is not a sandbox; a sandbox needs a slug of its own."
        )
    wiped = sandbox_wipe(existing) if existing is not None and reset else 0
    with transaction.atomic():
        muni = city_import(city)
        districts.invalidate_districts()
        city_selectors.invalidate_caches()
        accounts, users = _trainees(muni)
        total = Report.objects.filter(municipality=muni).count()
        added = 0
        if total == 0 and reports:
            anchor = anchor or clock.today(ZoneInfo(muni.timezone))
            world = World.load(muni, users)
            generator = Generator(world, n=reports, seed=seed + SEED_OFFSET, anchor=anchor)
            added = len(reports_load_history(muni, generator.rows(), atomic=True, routes=world.routes).ids)
            total = added
    return SandboxResult(muni, added, total, accounts, wiped)


def sandbox_wipe(municipality: Municipality) -> int:
    """Delete a sandbox with everything in it and its training accounts; returns how many reports went.
    Refuses a municipality that is not a sandbox: this is a reset of training data, never of a city."""
    if not municipality.is_sandbox:
        raise SandboxRefused(f"{municipality.slug!r} is not a sandbox.")
    with transaction.atomic():
        deleted = reports_delete_for(municipality)  # their photos' files too, after the commit
        get_user_model().objects.filter(
            username__in=[username(municipality.slug, t.role) for t in TRAINEES]
        ).delete()
        # Routing rules and categories protect departments and object types: they go first.
        RoutingRule.objects.filter(municipality=municipality).delete()
        Category.objects.filter(municipality=municipality).delete()
        municipality.delete()  # districts, departments, deliveries, alerts, processes…
    districts.invalidate_districts()
    city_selectors.invalidate_caches()
    return deleted


def _trainees(municipality: Municipality) -> tuple[list[Account], dict[str, User]]:
    """The training staff accounts, made or brought back to their role and department in this sandbox.
    Returns the accounts to print and, for the report generator, who moderates and who executes."""
    departments = list(Department.objects.filter(municipality=municipality).order_by("pk"))
    model = get_user_model()
    accounts, users = [], {}
    for trainee in TRAINEES:
        name = username(municipality.slug, trainee.role)
        user = model.objects.filter(username=name).first()
        if user is not None and user.municipality_id not in (None, municipality.pk):
            raise SandboxRefused(f"The account {name!r} exists and works in another municipality.")
        password = None
        if user is None:
            user = model(username=name)
            password = secrets.token_urlsafe(12)
            user.set_password(password)
        department = departments[trainee.department] if trainee.department is not None else None
        user.role = trainee.role
        user.first_name, user.last_name = trainee.first_name, trainee.last_name
        user.department = department
        user.municipality = municipality  # staff of the sandbox only, whatever the host (backoffice)
        user.is_staff = user.is_superuser = False
        user.is_active = True
        user.full_clean()
        user.save()
        accounts.append(
            Account(name, str(user.get_role_display()), department.name if department else "", password)
        )
        users[trainee.role] = user
    return accounts, {"moderator": users[User.Role.MODERATOR], "executor": users[User.Role.EXECUTOR]}
