"""Jobs the worker runs on a timetable (`gorod worker` enqueues each when it is due).

Each entry: (dotted path of a django-tasks task taking no arguments, interval in seconds). A job must be
idempotent — safe to run twice or late — because a restarted worker runs what it missed."""

PERIODIC_JOBS: list[tuple[str, int]] = [
    ("gorod.backoffice.tasks.escalate_overdue", 3600),  # hourly is enough: it sends once per day
    ("gorod.notifications.tasks.sweep", 60),  # due deliveries, expired leases of dead workers
    ("gorod.notifications.tasks.digests", 900),  # daily area-alert digests (each alert once a day)
    ("gorod.notifications.tasks.poll_open311", 300),  # updates from departments' external systems
    ("gorod.notifications.tasks.housekeeping", 86400),  # old sent deliveries, task results
    ("gorod.reports.tasks.auto_confirm_due", 3600),  # silence confirms once the window has closed
    ("gorod.budgeting.tasks.advance_processes", 3600),  # phases open and close by their dates
]
