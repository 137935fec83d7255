"""Staff of one municipality see nothing of another's (issue 10, item 5).

Two municipalities in one installation — the test city and Petrozavodsk — each with staff, a report,
a dead letter and an audit entry. Every URL pattern of the back office, read from the URLconf (so a new
one is covered the day it is added), is asked by every staff role of one city, on both cities' host
names, with the path filled with the other city's objects: the answer is a refusal (403/404, or 405 for
a method the page does not take), lists never show the other city's rows, and posts change nothing of
the other city."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gorod.accounts.models import User
from gorod.backoffice.views.actions import ACTIONS
from gorod.backoffice.views.project_moderation import ACTIONS as MODERATION_ACTIONS
from gorod.backoffice.views.projects import ACTIONS as PROJECT_ACTIONS
from gorod.city.models import Category, Department
from gorod.city.services import city_import_file
from gorod.consultations.models import Project
from gorod.consultations.services import project_create
from gorod.core import audit
from gorod.demo.city import PETROZAVODSK_FILE
from gorod.notifications.models import Channel, Delivery
from gorod.reports.models import Report
from gorod.reports.services import NewReport, report_create
from tests.helpers import login_verified

pytestmark = pytest.mark.django_db
PTZ_HOST = "ptz.gorod.example"
HOSTS = ("testserver", PTZ_HOST)
ROLES = {
    "moderator": (User.Role.MODERATOR, False),
    "executor": (User.Role.EXECUTOR, True),
    "head": (User.Role.DEPARTMENT_HEAD, True),
    "admin": (User.Role.CITY_ADMIN, False),
    "auditor": (User.Role.AUDITOR, False),
}
# What each path parameter of a back-office URL is filled with; a new parameter fails the test below
# until it is added here, so no URL escapes the check.
PARAMETERS = {"pk", "action", "slug"}


def backoffice_patterns() -> list[tuple[str, str, list[str]]]:
    """(url name, route, parameter names) of every pattern in the backoffice namespace."""
    resolver = get_resolver()
    found = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                found.append((p.name or "", route, re.findall(r"<(?:\w+:)?(\w+)>", route)))

    namespace = resolver.namespace_dict["backoffice"][1]
    walk(namespace.url_patterns, "/" + resolver.namespace_dict["backoffice"][0])
    return found


def fill(route: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], route)


class City:
    """One municipality's staff and objects."""

    def __init__(self, municipality, report: Report, delivery: Delivery, marker: str, users: dict):
        self.municipality = municipality
        # An engagement project (consultations), its slug unique to this city.
        self.project = project_create(
            municipality=municipality,
            slug=f"project-{marker.lower()}",
            title=f"Проект {marker}",
            published=False,
        )
        self.report = report
        self.delivery = delivery
        self.marker = marker
        self.users = users

    def filter_query(self) -> str:
        r = self.report
        return (
            f"?department={r.department_id or ''}&category={r.category_id}&district={r.district_id}"
            f"&assignee={self.users['executor'].pk}&status=all&q=%D0%AF%D0%BC%D0%B0"
        )

    def snapshot(self) -> tuple:
        report = Report.objects.get(pk=self.report.pk)
        delivery = Delivery.objects.get(pk=self.delivery.pk)
        project = Project.objects.get(pk=self.project.pk)
        return (
            report.status,
            report.department_id,
            report.updated,
            delivery.state,
            delivery.attempts,
            project.updated,
            project.phases.count(),
            project.updates.count(),
        )


def _staff(prefix: str, municipality, department: Department) -> dict[str, User]:
    users = {}
    for name, (role, in_department) in ROLES.items():
        users[name] = User.objects.create_user(
            username=f"{prefix}-{name}",
            password="x",
            role=role,
            department=department if in_department else None,
            municipality=None if in_department else municipality,
        )
    return users


def _dead_letter(municipality, report, marker: str) -> Delivery:
    return Delivery.objects.create(
        channel=Channel.WEBHOOK,
        municipality=municipality,
        key=marker.ljust(64, "k"),
        kind="webhook",
        report=report,
        payload="{}",
        state=Delivery.State.DEAD,
        attempts=8,
        last_error=f"HTTP 500 {marker}",
    )


@pytest.fixture
def cities(city, settings, frozen_spring, new_report) -> dict[str, City]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, PTZ_HOST]
    ptz = city_import_file(PETROZAVODSK_FILE)
    here_marker, ptz_marker = "ZZTESTGRADZZ", "ZZPETROZAVODSKZZ"
    here_report = report_create(municipality=city, data=new_report(description=f"Яма {here_marker}"))
    pothole = Category.objects.get(municipality=ptz, service_code="road-pothole")
    ptz_report = report_create(
        municipality=ptz,
        data=NewReport(
            category=pothole,
            lat=61.7835,
            lon=34.3545,
            address="проспект Ленина, 5",
            description=f"Яма {ptz_marker}",
            attributes={"depth": "8"},
            contact_email="resident@example.org",
        ),
    )
    # Each city's department staff work in the department its report went to, so their queues hold it.
    here_department = here_report.department or city.departments.get(slug="roads")
    ptz_department = ptz_report.department or ptz.departments.get(slug="dorogi")
    result = {
        "here": City(
            city,
            here_report,
            _dead_letter(city, here_report, here_marker),
            here_marker,
            _staff("here", None, here_department),
        ),
        "ptz": City(
            ptz,
            ptz_report,
            _dead_letter(ptz, ptz_report, ptz_marker),
            ptz_marker,
            _staff("ptz", ptz, ptz_department),
        ),
    }
    for c in result.values():
        audit.record(
            action="report.contacts_viewed",
            actor=c.users["admin"],
            object_type="report",
            object_id=c.report.pk,
            detail={"note": c.marker},
        )
    return result


def _client(user: User, host: str) -> Client:
    client = Client(HTTP_HOST=host)
    return login_verified(client, user)


def test_every_backoffice_url_is_covered_by_the_parameters_known_here():
    patterns = backoffice_patterns()
    assert len(patterns) >= 10
    unknown = {name for _, _, names in patterns for name in names} - PARAMETERS
    assert not unknown, f"fill these path parameters in PARAMETERS and cities(): {unknown}"


def test_own_city_staff_do_see_their_own_objects(cities):
    """The check below would pass vacuously if nobody saw anything: here each city's staff do see their
    own report and dead letter."""
    for c in cities.values():
        for host in HOSTS:
            admin = _client(c.users["admin"], host)
            assert admin.get(f"/backoffice/reports/{c.report.pk}/").status_code == 200
            assert c.marker.encode() in admin.get("/backoffice/deliveries/").content
            assert c.marker.encode() in admin.get("/backoffice/moderation/").content
            assert c.marker.encode() in admin.get("/backoffice/projects/").content
            auditor = _client(c.users["auditor"], host)
            assert c.marker.encode() in auditor.get("/backoffice/audit/").content


@pytest.mark.parametrize("who,other", [("here", "ptz"), ("ptz", "here")])
@pytest.mark.parametrize("role", list(ROLES))
def test_staff_of_one_city_see_and_change_nothing_of_another(cities, who, other, role):
    mine, theirs = cities[who], cities[other]
    before = theirs.snapshot()
    leaks = []
    for host in HOSTS:
        client = _client(mine.users[role], host)
        for name, route, params in backoffice_patterns():
            if "pk" in params or "slug" in params:
                pk = theirs.delivery.pk if "delivery" in name else theirs.report.pk
                known = PROJECT_ACTIONS if "slug" in params else ACTIONS
                actions = sorted(known) if "action" in params else [""]
                values = {"pk": str(pk), "slug": theirs.project.slug}
                urls = [fill(route, {**values, "action": a}) for a in actions]
                for url in urls:
                    for method in ("get", "post"):
                        data = {
                            "reason": "1",
                            "text": "x",
                            "title": "x",
                            "body": "x",
                            "starts": "2026-05-01T10:00",
                        }
                        response = getattr(client, method)(url, data)
                        if response.status_code not in (403, 404, 405):
                            leaks.append(f"{method.upper()} {url} on {host}: {response.status_code}")
                        if theirs.marker.encode() in response.content:
                            leaks.append(f"{method.upper()} {url} on {host} shows the other city's data")
                continue
            if params == ["action"]:
                # The project moderation desk's actions name their item in the form (target, pk); a
                # refusal sends back to one's own desk (302), so the check is that nothing of theirs shows
                # or changes (the snapshot below).
                for action in sorted(MODERATION_ACTIONS):
                    url = fill(route, {"action": action})
                    data = {"target": "question", "pk": str(theirs.report.pk), "reason": "1"}
                    response = client.post(url, data)
                    if response.status_code not in (302, 403, 404, 405):
                        leaks.append(f"POST {url} on {host}: {response.status_code}")
                    if theirs.marker.encode() in response.content:
                        leaks.append(f"POST {url} on {host} shows the other city's data")
                continue
            url = fill(route, {})
            # Plain, and filtered by the other city's department, category, district and staff.
            for query in ("", theirs.filter_query()):
                response = client.get(url + query)
                if response.status_code >= 500:
                    leaks.append(f"GET {url}{query} on {host}: {response.status_code}")
                body = response.content
                link = f"/backoffice/reports/{theirs.report.pk}/".encode()
                if theirs.marker.encode() in body or link in body:
                    leaks.append(f"GET {url}{query} on {host} lists the other city's data")
            for op in ("", "accept", "reject", "assign", "act"):
                data = {"ids": [str(theirs.report.pk)], "op": op, "confirmed": "1", "reason": "1"}
                response = client.post(url, data)
                if response.status_code >= 500:
                    leaks.append(f"POST {url} op={op} on {host}: {response.status_code}")
                if theirs.marker.encode() in response.content:
                    leaks.append(f"POST {url} op={op} on {host} shows the other city's data")
    assert not leaks, "\n".join(leaks)
    assert theirs.snapshot() == before
