"""What a view tells the demand counters (analytics.demand) about its request, without importing them.

Apps below analytics (reports, budgeting, info…) may not import it, so a view only notes facts on the
request here, and the demand middleware reads them once the response is made. Nothing is stored by this
module; a request the middleware does not count (API, bots, counting off) simply drops its notes."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

ATTRIBUTE = "_gorod_usage_searches"


@dataclass(frozen=True)
class SearchNote:
    scope: str  # which search: "news", "help"… (a short slug of the page's search box)
    query: str  # as typed; analytics.demand decides whether any of it may be kept
    found: int  # how many results the page showed


def note_search(request: HttpRequest, *, scope: str, query: str, found: int) -> None:
    """Record that the page answered a search; called by the view that ran it."""
    notes = getattr(request, ATTRIBUTE, None)
    if notes is None:
        notes = []
        setattr(request, ATTRIBUTE, notes)
    notes.append(SearchNote(scope=scope[:30], query=query[:200], found=max(0, int(found))))


def searches(request: HttpRequest) -> list[SearchNote]:
    return list(getattr(request, ATTRIBUTE, ()))
