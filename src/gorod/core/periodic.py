"""Jobs the worker runs on a timetable (`gorod worker` enqueues each when it is due).

Each entry: (dotted path of a django-tasks task taking no arguments, interval in seconds). A job must be
idempotent — safe to run twice or late — because a restarted worker runs what it missed."""

PERIODIC_JOBS: list[tuple[str, int]] = [
    # one line per job, e.g. ("gorod.notifications.tasks.sweep", 60),
]
