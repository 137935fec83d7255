"""Settings of the two `gorod worker` processes of test_two_servers: test_kill's (mail to the test's SMTP
sink), with a lease far longer than any send here, so that a row is sent twice only if two workers
claimed it at once — the one thing the test is about."""

from tests.notifications.worker_settings import *  # noqa: F403

GOROD_DELIVERY_LEASE_S = 120
