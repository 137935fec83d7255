"""The project list and a project's page load in a fixed number of queries, with 2 items as with 20."""

from __future__ import annotations

import datetime as dt
import itertools

from gorod.consultations import services
from gorod.consultations.models import Event, Update
from gorod.core import clock
from tests.query_counts import assert_pinned, get, growing

counter = itertools.count()
PAGE = 7


def test_the_project_list_is_pinned(client, make_project, districts):
    def add(k: int) -> None:
        for _ in range(k):
            make_project(slug=f"p{next(counter)}", district=districts["north"])

    # The city, the districts of the filter, the projects, their phases.
    assert_pinned(4, growing(add, get(client, "/projects/")))


def test_the_project_page_is_pinned(client, make_project):
    project = make_project(slug="park")
    phase = project.phase_list()[0]
    services.module_add(phase=phase, kind="information", title="How")

    def add(k: int) -> None:
        now = clock.now()
        for _ in range(k):
            n = next(counter)
            Update.objects.create(project=project, title=f"u{n}", body="b")
            Event.objects.create(project=project, title=f"e{n}", starts=now, ends=now + dt.timedelta(hours=1))

    # The city, the project, its phases, their modules, updates, documents (with pages), events.
    assert_pinned(PAGE, growing(add, get(client, "/projects/park/")))
