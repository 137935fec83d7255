"""The HTTP server the bench measures: Django's own threaded WSGI server (what `gorod runserver` runs),
with TCP_NODELAY and, optionally, pre-forked into several processes sharing one listening socket.

    python -m bench.serve PORT              # one process: `gorod runserver --noreload` + TCP_NODELAY
    python -m bench.serve PORT --workers 2  # one process per core, as a production WSGI server runs

TCP_NODELAY: Django's development server writes the status line and headers, then the body, as
separate small writes. With Nagle's algorithm on (the socketserver default) the body waits for the
client's ACK of the headers, which Linux delays by up to 40 ms, so every response would take >= 40 ms
whatever the view does. Production WSGI servers (gunicorn, uWSGI, waitress) set TCP_NODELAY.

Workers: one Python process uses one core (the GIL). Production runs the WSGI application
(`gorod.wsgi:application`, docs/deploy.md) in a pre-forking server with a process per core; this does
the same with the standard library and Django's server classes, so nothing is added to the dependencies.
"""

from __future__ import annotations

import argparse
import os
import signal
import socketserver
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="override the settings' CONN_MAX_AGE (an experiment; the bench measures the settings as is)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
    import django
    from django.conf import settings

    django.setup()
    if args.conn_max_age is not None:
        settings.DATABASES["default"]["CONN_MAX_AGE"] = args.conn_max_age
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer, get_internal_wsgi_application
    from django.db import connections

    class Handler(WSGIRequestHandler):
        disable_nagle_algorithm = True

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

    from django.core.signals import got_request_exception

    def sqlite_detail(sender, request=None, **kwargs):
        # Django's log shows "disk I/O error"; SQLite's extended code says which I/O failed.
        exc = sys.exc_info()[1]
        while exc is not None:
            if hasattr(exc, "sqlite_errorname"):
                print(f"pid {os.getpid()}: {exc.sqlite_errorname} ({exc.sqlite_errorcode})", flush=True)
            exc = exc.__cause__ or exc.__context__

    got_request_exception.connect(sqlite_detail, weak=False)
    httpd = Server(("127.0.0.1", args.port), Handler, ipv6=False)
    httpd.set_app(get_internal_wsgi_application())
    connections.close_all()  # nothing opened before the fork may be shared by the children
    children: list[int] = []
    for _ in range(args.workers - 1):
        pid = os.fork()
        if pid == 0:
            children = []
            break
        children.append(pid)

    def stop(signum, frame):
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    print(f"serving on 127.0.0.1:{args.port}, pid {os.getpid()}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
