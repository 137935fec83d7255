"""`brand` on every page: the municipality whose site the request's host names (city.selectors), for the
header's colours and logo (base.html)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from gorod.city.selectors import default_municipality


def brand(request: HttpRequest) -> dict:
    # Lazy: JSON answers and mails rendered with a request never pay for the query.
    return {"brand": SimpleLazyObject(default_municipality)}
