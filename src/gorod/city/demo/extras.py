"""Demo content of the other apps, added by `seed_demo` after the reports.

Each entry names a function `seed(*, municipality, seed: int, anchor: datetime.date, stdout) -> None`
that adds its app's demo data idempotently (running it twice leaves one copy)."""

EXTRA_SEEDERS: list[str] = [
    "gorod.backoffice.demo.seed",
    "gorod.reports.demo_feedback.seed",
    "gorod.notifications.demo.seed",
    "gorod.budgeting.demo.seed",
    "gorod.budgeting.priorities.demo.seed",
]
