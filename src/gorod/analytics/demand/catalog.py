"""What is counted, declared as data: services (by URL name), funnels (steps by method, URL name and
response), device classes and the search terms that may be kept. A new funnel or service is one line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OK = frozenset({200})
REDIRECT = frozenset({301, 302, 303})
ANY: frozenset[int] = frozenset()  # any status


@dataclass(frozen=True)
class Service:
    key: str
    label: str | Promise
    views: tuple[str, ...]  # URL names ("report-new") or whole namespaces ("budgeting:*")


SERVICES: tuple[Service, ...] = (
    Service("reports_map", _("Reports map and list"), ("home", "reports-list")),
    Service("report_form", _("Report form"), ("report-new",)),
    Service("report_page", _("Report pages"), ("report-detail",)),
    Service("budgeting", _("Participatory budgeting"), ("budgeting:*", "priorities:*")),
    Service("news", _("News and planned works"), ("news:*", "stories:*")),
    Service("projects", _("City projects (consultations)"), ("consultations:*",)),
    Service("help", _("Help centre"), ("info:*",)),
    Service("stats", _("Dashboards and performance"), ("stats:*", "analytics:*")),
    Service("open_data", _("Open data"), ("opendata:*",)),
    Service("account", _("Residents' accounts"), ("accounts:*", "privacy:*", "notifications:*")),
    Service("backoffice", _("Back office"), ("backoffice:*", "demand:*")),
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str | Promise
    method: str
    view: str  # the resolved URL's view_name ("namespace:name")
    statuses: frozenset[int]  # empty: any response

    def matches(self, method: str, view: str, status: int) -> bool:
        return method == self.method and view == self.view and (not self.statuses or status in self.statuses)


@dataclass(frozen=True)
class Funnel:
    key: str
    label: str | Promise
    steps: tuple[Step, ...]


# A step counts each visitor once a day: "opened" is how many people opened the form, "filed" how many
# filed at least once. "sent" (any answer to the POST) against "filed" (a redirect) shows people who sent
# the form, were shown an error and did not get through.
FUNNELS: tuple[Funnel, ...] = (
    Funnel(
        "report",
        _("Report a problem"),
        (
            Step("opened", _("form opened"), "GET", "report-new", OK),
            Step("sent", _("form sent"), "POST", "report-new", ANY),
            Step("filed", _("report filed"), "POST", "report-new", REDIRECT),
        ),
    ),
    Funnel(
        "ballot",
        _("Vote in participatory budgeting"),
        (
            Step("opened", _("ballot opened"), "GET", "budgeting:ballot", OK),
            Step("sent", _("ballot sent"), "POST", "budgeting:ballot", ANY),
            Step("cast", _("ballot cast"), "POST", "budgeting:ballot", REDIRECT),
        ),
    ),
    # Surveys arrive with consultations (issue 13 lists them); until then these URL names match nothing.
    Funnel(
        "survey",
        _("Survey"),
        (
            Step("started", _("survey started"), "GET", "consultations:survey", OK),
            Step("finished", _("survey finished"), "POST", "consultations:survey", REDIRECT),
        ),
    ),
)

_SERVICE_BY_VIEW = {v: s.key for s in SERVICES for v in s.views if not v.endswith(":*")}
_SERVICE_BY_NAMESPACE = {v[:-2]: s.key for s in SERVICES for v in s.views if v.endswith(":*")}
_STEPS_BY_VIEW: dict[str, list[tuple[Funnel, Step]]] = {}
for _funnel in FUNNELS:
    for _step in _funnel.steps:
        _STEPS_BY_VIEW.setdefault(_step.view, []).append((_funnel, _step))


def service_of(view_name: str, namespace: str) -> str | None:
    return _SERVICE_BY_VIEW.get(view_name) or _SERVICE_BY_NAMESPACE.get(namespace.split(":")[0])


def search_label(scope: str) -> str | Promise:
    """A search box is named after the service it belongs to (its scope is the service's key)."""
    return next((s.label for s in SERVICES if s.key == scope), scope)


def funnel_steps(method: str, view_name: str, status: int) -> list[str]:
    """The funnel counters ("report:opened") this response is a step of."""
    return [
        f"{funnel.key}:{step.key}"
        for funnel, step in _STEPS_BY_VIEW.get(view_name, ())
        if step.matches(method, view_name, status)
    ]


DEVICES = ("phone", "tablet", "desktop")
BOT = "bot"
# Crawlers, link previews, monitors and scripts. A missing User-Agent counts as a bot too: browsers send one.
_BOT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrape|preview|monitor|uptime|headless|lighthouse|curl/|wget/|"
    r"python-|httpx|okhttp|java/|go-http|libwww|axios|node-fetch|facebookexternalhit|yandex(?!browser)",
    re.IGNORECASE,
)
_TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|(android(?!.*mobile))", re.IGNORECASE)
_PHONE = re.compile(r"mobi|iphone|ipod|android|windows phone|opera mini", re.IGNORECASE)


def device_class(user_agent: str) -> str:
    if not user_agent or len(user_agent) < 10 or _BOT.search(user_agent):
        return BOT
    if _TABLET.search(user_agent):
        return "tablet"
    if _PHONE.search(user_agent):
        return "phone"
    return "desktop"


# A search term is kept only if it cannot be a phone, an address with a flat, an e-mail or a report
# number (no digit, no @), is short, and was searched by several people the same day (demand.counting).
TERM_MAX_CHARS = 40
TERM_MAX_WORDS = 4
TERM_MIN_PEOPLE = 3
_TERM_OK = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+)*$")


def keepable_term(query: str) -> str | None:
    """The query lower-cased with its spaces collapsed, or None when it must not be kept as text."""
    term = " ".join(query.lower().split()).strip(" -.,;:!?\"'«»")
    if not (2 <= len(term) <= TERM_MAX_CHARS) or len(term.split()) > TERM_MAX_WORDS:
        return None
    if "@" in term or any(c.isdigit() for c in term) or not _TERM_OK.match(term):
        return None
    return term


DEVICE_LABELS = {"phone": _("phone"), "tablet": _("tablet"), "desktop": _("computer")}
