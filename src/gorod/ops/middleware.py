"""Request latency by view, for /metrics."""

from __future__ import annotations

import time

from prometheus_client import Histogram

# Registered in no registry here: the /metrics view adds it to the registry it builds for each scrape
# (or, in multiprocess mode, reads every process's values from PROMETHEUS_MULTIPROC_DIR instead).
LATENCY = Histogram(
    "gorod_request_duration_seconds",
    "Time to answer an HTTP request, by the view that answered (the URL pattern's name), method and "
    "status class.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def view_label(request) -> str:
    """The resolved URL pattern's name (namespace:name), else its route, else a fixed word: never the
    path or the query, which could hold a report number, a token or anything a client typed."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or match.route or "<unnamed>"


class RequestLatency:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - start
        method = request.method if request.method in METHODS else "other"
        status = f"{response.status_code // 100}xx"
        LATENCY.labels(view_label(request), method, status).observe(elapsed)
        return response
