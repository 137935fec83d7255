"""Pinning a page's query count: exact, and the same with 2 rows as with 20 (so an N+1 cannot hide)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

ROWS = (2, 20)
Request = Callable[[], object]


def count_queries(request: Request) -> int:
    with CaptureQueriesContext(connection) as queries:
        request()
    return len(queries)


def assert_pinned(expected: int, page: Callable[[int], Request]) -> None:
    """page(n) makes the page have n rows and returns the request that shows it; that request takes
    exactly `expected` queries at every size in ROWS."""
    counts = [count_queries(page(n)) for n in ROWS]
    assert counts == [expected] * len(ROWS), f"{counts} queries for {ROWS} rows, pinned at {expected}"


def growing(add: Callable[[int], object], request: Request) -> Callable[[int], Request]:
    """A page(n) for assert_pinned from add(k), which adds k more rows to what `request` shows."""
    made = [0]

    def page(n: int) -> Request:
        add(n - made[0])
        made[0] = n
        return request

    return page


def get(client, url: str, status: int = 200) -> Request:
    def request():
        response = client.get(url)
        assert response.status_code == status, url
        return response

    return request
