"""`gorod serve`: the production web server, gunicorn running gorod.wsgi with one worker process per core.

    gorod serve                          # 127.0.0.1:8000, one sync worker per core
    gorod serve --port 8001 --threads 4  # threads per worker, for slow clients or many keep-alives
    gorod serve --bind 0.0.0.0           # all interfaces; or --bind unix:/run/gorod/web.sock

One process per core because a Python process uses one core at a time (the GIL); threads help only while
requests wait on the database or the network. `runserver` stays for development (reloading, DEBUG pages).
Static files are served by WhiteNoise inside each worker (run `gorod collectstatic` first: the hashed
names come from its manifest); /media/ is left to the reverse proxy (deploy/nginx-gorod.conf)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def bind_address(bind: str, port: int) -> str:
    """--bind HOST with --port, or a full address (HOST:PORT, [v6]:PORT, unix:PATH) used as it is."""
    if bind.startswith("unix:") or bind.startswith("[") or bind.count(":") == 1:
        return bind
    if ":" in bind:  # a bare IPv6 address
        return f"[{bind}]:{port}"
    return f"{bind}:{port}"


def _warm_up(worker) -> None:
    from gorod.core import warmup

    warmup.start()


class Command(BaseCommand):
    help = "Serve Gorod with gunicorn (production): one worker process per core, static files by WhiteNoise."
    requires_system_checks: list[str] = []  # checked below, once, before forking

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="processes (default: cores)"
        )
        parser.add_argument("--threads", type=int, default=1, help="threads per process (default: 1)")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--bind", default="127.0.0.1", help="host, HOST:PORT or unix:PATH")
        parser.add_argument(
            "--timeout", type=int, default=30, help="seconds before a stuck worker is restarted"
        )
        parser.add_argument("--access-log", action="store_true", help="one line per request on stderr")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        self.check(display_num_errors=False)
        manifest = settings.STATIC_ROOT / "staticfiles.json"
        if not settings.DEBUG and not manifest.exists():
            raise CommandError(f"No {manifest}: run `gorod collectstatic --noinput` first (docs/deploy.md).")
        # Nothing opened here may be shared with the forked workers.
        connections.close_all()
        from gunicorn.app.base import BaseApplication

        config = {
            "bind": [bind_address(options["bind"], options["port"])],
            "workers": options["workers"],
            "threads": options["threads"],
            # gthread when threads > 1; sync otherwise (gunicorn picks it from the number of threads).
            "timeout": options["timeout"],
            "graceful_timeout": options["timeout"],
            "keepalive": 5,
            "accesslog": "-" if options["access_log"] else None,
            "errorlog": "-",
            "proc_name": "gorod-web",
            # Workers are not recycled: the map index each holds is costly to rebuild (docs/deploy.md).
            "max_requests": 0,
            # gunicorn 27's runtime control socket (one fixed path per user) is not used: two instances
            # on one machine would fight over it.
            "control_socket_disable": True,
            "post_worker_init": _warm_up,
        }

        class Gunicorn(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                from gorod.wsgi import application

                return application

        Gunicorn().run()
