"""Demo content of the other apps, added by `seed_demo` after the reports.

Each entry names a function `seed(*, municipality, seed: int, anchor: datetime.date, stdout) -> None`
that adds its app's demo data idempotently (running it twice leaves one copy)."""

EXTRA_SEEDERS: list[str] = [
    # one line per app, e.g. "gorod.budgeting.demo.seed",
]
