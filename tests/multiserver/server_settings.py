"""Settings of the processes test_two_servers starts: the real settings, with static files hashed but not
compressed (WhiteNoise's brotli and gzip passes over every static file were most of the test's set-up
time; serving static files is tests/deploy's subject, not this test's)."""

from gorod.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
