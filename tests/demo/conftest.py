"""The demo's accounts are tested like the accounts app's: the same way of making a user."""

from tests.accounts.conftest import make_user  # noqa: F401
