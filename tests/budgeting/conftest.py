"""Budgeting fixtures: processes made through services.process_create with phases placed around the
frozen test clock, so that the phase a test asks for is the current one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import SPRING_DAY

KINDS = ("ideas", "support", "lottery", "review", "ballot", "results", "implementation")
DAY = dt.timedelta(days=1)


def phase_plan(current: str | None, at: dt.datetime = SPRING_DAY, length: int = 10):
    """Every phase kind, 10 days each, back to back, with `current` holding `at` (None: all in the past)."""
    from gorod.budgeting.services import NewPhase

    index = KINDS.index(current) if current else len(KINDS)
    start = at - DAY * (length * index + length // 2)
    plan = []
    for i, kind in enumerate(KINDS):
        starts = start + DAY * length * i
        plan.append(
            NewPhase(
                kind=kind,
                starts=starts,
                ends=starts + DAY * length,
                support_threshold=2 if kind == "support" else 0,
            )
        )
    return plan


@pytest.fixture
def districts(city):
    return {d.slug: d for d in city.districts.all()}


@pytest.fixture
def make_process(city, districts, frozen_spring):
    from gorod.budgeting.services import process_create

    counter = {"n": 0}

    def make(*, phase: str | None = "ballot", budgets=None, **fields):
        counter["n"] += 1
        if budgets is None:
            budgets = [(None, 1000), (districts["north"], 500), (districts["south"], 500)]
        return process_create(
            municipality=city,
            slug=fields.pop("slug", f"pb-{counter['n']}"),
            title=fields.pop("title", "Твой бюджет"),
            budgets=budgets,
            phase_list=phase_plan(phase),
            **fields,
        )

    return make


@pytest.fixture
def on_ballot():
    """Put projects on a process's ballot (a factory: the idea → review path has its own tests)."""
    from gorod.budgeting.models import Project

    def put(process, items):
        made = []
        for i, (code, cost, district) in enumerate(items, start=1):
            made.append(
                Project.objects.create(
                    process=process,
                    code=code,
                    title=f"Проект {code}",
                    description="Описание проекта",
                    cost=Decimal(cost),
                    district=district,
                    status=Project.Status.ON_BALLOT,
                    order=i,
                )
            )
        return made

    return put


@pytest.fixture
def census(districts):
    from gorod.budgeting.eligibility.census import census_upload

    def load(process, rows: str, replace: bool = False) -> int:
        return census_upload(process=process, data=rows, replace=replace)

    return load


@pytest.fixture
def citizen(db):
    from gorod.accounts.models import User

    return User.objects.create_user(username="anna", password="x-pass-12345", role=User.Role.CITIZEN)


@pytest.fixture
def admin_user(db):
    from gorod.accounts.models import User

    return User.objects.create_user(username="boss", password="x-pass-12345", role=User.Role.CITY_ADMIN)


@pytest.fixture
def english():
    """These tests read messages in English; the site's default language is Russian."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
