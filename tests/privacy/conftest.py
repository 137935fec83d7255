"""The privacy pages are the account's pages too: the same people and settings as the accounts tests."""

from tests.accounts.conftest import _english, citizen, make_user, staff_member  # noqa: F401
