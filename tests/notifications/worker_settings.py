"""Settings for the worker subprocess of test_kill: the real settings, with mail going to the test's
local SMTP sink and short leases so a killed worker's deliveries come back quickly. Timeouts are long: a
send that times out on a loaded machine would be sent again, a duplicate no kill caused."""

import os

from gorod.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("GOROD_TEST_SMTP_PORT", "25"))
EMAIL_TIMEOUT = 60
GOROD_DELIVERY_LEASE_S = 2
GOROD_DELIVERY_BATCH = 5
GOROD_HTTP_TIMEOUT_S = 60
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "WARNING"}}
