"""Staff in browser tests: an account of a role, and a browser page signed in as it by the session cookie
of a verified (password + TOTP) login."""

from __future__ import annotations

from django.test import Client

from gorod.accounts.models import User
from gorod.city.models import Department
from tests.e2e.conftest import STEP_MS
from tests.helpers import login_verified


def staff_user(username: str, role: str, department: str | None = None) -> User:
    return User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password="x",
        role=role,
        department=Department.objects.get(slug=department) if department else None,
        first_name=username.capitalize(),
        last_name="Тестова",
    )


def signed_in_page(browser, live_server, user: User, *, width: int = 1280):
    client = login_verified(Client(), user)
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(STEP_MS)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()
