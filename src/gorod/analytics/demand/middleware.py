"""Counts a response toward the demand counters (demand.counting) after the view has answered.

The cheap path comes first: paths that are never counted (API, static files, metrics…), methods other
than GET/POST, HTMX fragments and bots leave before any cache call. Any error while counting is logged and
swallowed: the visitor gets their page whatever happens to the counters. Nothing is read from or written
to cookies or the session."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gorod.analytics.demand import catalog, counting
from gorod.analytics.demand.models import DemandCounter
from gorod.city.selectors import municipality_for_host
from gorod.core import clock, usage
from gorod.core.http import client_ip

logger = logging.getLogger("gorod.analytics.demand")
Kind = DemandCounter.Kind
HOSTS_TTL_S = 60  # a host moved to another municipality is counted there within a minute
_hosts: dict[str, tuple[int, str, dt.datetime]] = {}


class DemandMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.skip = tuple(settings.GOROD_DEMAND_SKIP_PATHS) + tuple(settings.GOROD_LEAN_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.GOROD_DEMAND_ENABLED
            and request.method in ("GET", "POST")
            and not request.path.startswith(self.skip)
        ):
            try:
                count(request, response)
                counting.flush_if_due()
            except Exception:
                logger.warning("demand counting failed", exc_info=True)
        return response


def count(request: HttpRequest, response: HttpResponse) -> None:
    match = request.resolver_match
    if match is None or request.headers.get("HX-Request"):
        return  # a 404, or a fragment of a page already counted
    user_agent = request.headers.get("User-Agent", "")[:512]
    device = catalog.device_class(user_agent)
    if device == catalog.BOT:
        return
    method, status = request.method or "", response.status_code
    view = match.view_name
    service = catalog.service_of(view, match.namespace) if method == "GET" and status == 200 else None
    steps = catalog.funnel_steps(method, view, status)
    searches = usage.searches(request)
    if not (service or steps or searches):
        return
    place = _municipality(request.get_host())
    if place is None:
        return
    municipality_id, tz = place
    day = clock.today(ZoneInfo(tz))
    who = counting.visitor(day, client_ip(request), user_agent)

    def once(kind: str, key: str) -> bool:
        return counting.first_time(day, who, f"{municipality_id}\n{kind}\n{key}")

    def add(kind: str, key: str) -> None:
        counting.add((municipality_id, day, kind, key))

    if service and once(Kind.VISIT, service):
        add(Kind.VISIT, service)
        if once("visitor", ""):  # the day's first counted page: who the visitor is, roughly
            add(Kind.DEVICE, device)
            add(Kind.LANGUAGE, (getattr(request, "LANGUAGE_CODE", "") or "other")[:10])
    for step in steps:
        if once(Kind.FUNNEL, step):
            add(Kind.FUNNEL, step)
    for note in searches:
        if note.found:
            continue
        query = " ".join(note.query.lower().split())
        if not query or not once(Kind.SEARCH_EMPTY, f"{note.scope}\n{query}"):
            continue  # the same person repeating the same search counts once
        add(Kind.SEARCH_EMPTY, note.scope)
        term = catalog.keepable_term(query)
        if term is None:
            continue
        people = counting.people_asking(day, municipality_id, f"{note.scope}\n{term}")
        # The text reaches the database only once several people asked for it: a lone query is more
        # likely to be someone's own name or street than a need the city can meet.
        if people == catalog.TERM_MIN_PEOPLE:
            counting.add((municipality_id, day, Kind.SEARCH_TERM, f"{note.scope}:{term}"), people)
        elif people > catalog.TERM_MIN_PEOPLE:
            add(Kind.SEARCH_TERM, f"{note.scope}:{term}")


def _municipality(host: str) -> tuple[int, str] | None:
    now = clock.now()
    known = _hosts.get(host)
    if known is None or (now - known[2]).total_seconds() > HOSTS_TTL_S:
        found = municipality_for_host(host)
        if found is None:
            return None
        if len(_hosts) > 256:  # hosts are limited by ALLOWED_HOSTS; this bounds the dict anyway
            _hosts.clear()
        known = _hosts[host] = (found.pk, found.timezone, now)
    return known[0], known[1]
