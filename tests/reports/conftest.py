"""The moderation tests act as the back office's staff: one definition of them, in tests/backoffice."""

from tests.backoffice.conftest import client_for, staff  # noqa: F401
