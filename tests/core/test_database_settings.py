"""SQLite is opened the way DESIGN.md asks: WAL, BEGIN IMMEDIATE, a busy timeout."""

from django.conf import settings


def test_sqlite_uses_wal_immediate_transactions_and_a_busy_timeout():
    from gorod import settings as gorod_settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        assert gorod_settings.DATABASE_URL.startswith(("postgres", "postgresql"))
        return
    options = db["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout" in options["init_command"]
