"""Every report permission × every kind of person × every report state, against one declared table.

The table says, by hand, who may do what (WHO) and in which states (WHEN); the test asks the real
predicates (`user.has_perm`, django-rules) combined with the workflow's `allowed_actions`, exactly as the
back office does. Nothing here is computed from reports/rules.py or workflow.py, so widening a role or a
transition makes this fail. The HTTP side (403/404, nothing changed) is tested in tests/backoffice/."""

from __future__ import annotations

import pytest
import rules

from gorod.accounts.models import User
from gorod.reports.services import report_create, report_transition
from gorod.reports.workflow import TRANSITIONS, Status, allowed_actions

pytestmark = pytest.mark.django_db

# Columns: who asks. anon: not signed in; cit: a citizen; auth: the citizen who filed the report signed
# in; inact: a deactivated city administrator; mod: moderator; exec/head: executor and head of the
# report's department; oexec/ohead: the same roles in another department; admin: city administrator;
# aud: auditor; su: Django superuser flag with the citizen role; nodep: an executor without a department.
PEOPLE = (
    "anon",
    "cit",
    "auth",
    "inact",
    "mod",
    "exec",
    "head",
    "oexec",
    "ohead",
    "admin",
    "aud",
    "su",
    "nodep",
)

# Y = allowed (in the states of WHEN), . = refused.
WHO = """
                  anon   cit  auth inact   mod  exec  head oexec ohead admin   aud    su nodep
view_backoffice      .     .     .     .     Y     Y     Y     Y     Y     Y     Y     .     Y
view_contacts        .     .     .     .     Y     Y     Y     .     .     Y     .     .     .
accept               .     .     .     .     Y     .     .     .     .     Y     .     .     .
reject               .     .     .     .     Y     .     .     .     .     Y     .     .     .
mark_duplicate       .     .     .     .     Y     .     .     .     .     Y     .     .     .
start                .     .     .     .     .     Y     Y     .     .     Y     .     .     .
resolve              .     .     .     .     .     Y     Y     .     .     Y     .     .     .
transfer             .     .     .     .     Y     Y     Y     .     .     Y     .     .     .
reopen               .     .     .     .     Y     .     Y     .     .     Y     .     .     .
confirm              .     .     Y     .     .     .     .     .     .     .     .     .     .
dispute              .     .     Y     .     .     .     .     .     .     .     .     .     .
edit_content         .     .     .     .     Y     .     .     .     .     Y     .     .     .
hide_content         .     .     .     .     Y     .     .     .     .     Y     .     .     .
moderate_answer      .     .     .     .     Y     .     .     .     .     Y     .     .     .
add_note             .     .     .     .     Y     Y     Y     .     .     Y     .     .     .
assign               .     .     .     .     .     .     Y     .     .     Y     .     .     .
rate                 .     .     Y     .     .     .     .     .     .     .     .     .     .
audit                .     .     .     .     .     .     .     .     .     Y     Y     .     .
"""

S = Status
ALL = frozenset(Status)
# In which report states each permission can be used at all (workflow actions: their source states).
WHEN: dict[str, frozenset[Status]] = {
    "accept": frozenset({S.SUBMITTED}),
    "reject": frozenset({S.SUBMITTED}),
    "mark_duplicate": frozenset({S.SUBMITTED, S.ACCEPTED}),
    "start": frozenset({S.ACCEPTED, S.REOPENED}),
    "resolve": frozenset({S.ACCEPTED, S.IN_PROGRESS, S.REOPENED}),
    "transfer": frozenset({S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS, S.REOPENED}),
    "reopen": frozenset({S.DISPUTED}),
    "confirm": frozenset({S.RESOLVED}),
    "dispute": frozenset({S.RESOLVED}),
    "rate": frozenset({S.CONFIRMED}),
}


def _table() -> dict[str, set[str]]:
    lines = [line.split() for line in WHO.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert tuple(header) == PEOPLE
    table = {}
    for name, *marks in rows:
        assert len(marks) == len(PEOPLE), name
        assert set(marks) <= {"Y", "."}, name
        table[name] = {person for person, mark in zip(PEOPLE, marks, strict=True) if mark == "Y"}
    return table


TABLE = _table()

# How each state is reached through the real workflow service.
PATHS: dict[Status, list[tuple[str, str]]] = {
    S.SUBMITTED: [],
    S.ACCEPTED: [("accept", "")],
    S.IN_PROGRESS: [("accept", ""), ("start", "")],
    S.RESOLVED: [("accept", ""), ("start", ""), ("resolve", "Заделали")],
    S.CONFIRMED: [("accept", ""), ("start", ""), ("resolve", "Заделали"), ("confirm", "")],
    S.DISPUTED: [("accept", ""), ("start", ""), ("resolve", "Заделали"), ("dispute", "Не заделали")],
    S.REOPENED: [("accept", ""), ("resolve", "Заделали"), ("dispute", "Нет"), ("reopen", "Снова")],
    S.REJECTED: [("reject", "Не городская проблема")],
    S.DUPLICATE: [("mark_duplicate", "")],
}


@pytest.fixture
def people(city, make_user):
    from django.contrib.auth.models import AnonymousUser

    roads, yards = city.departments.get(slug="roads"), city.departments.get(slug="yards")
    R = User.Role
    return {
        "anon": AnonymousUser(),
        "cit": make_user("citizen"),
        "auth": make_user("author", email="author@example.org"),
        "inact": make_user("inactive", role=R.CITY_ADMIN, is_active=False),
        "mod": make_user("moderator", role=R.MODERATOR),
        "exec": make_user("executor", role=R.EXECUTOR, department=roads),
        "head": make_user("head", role=R.DEPARTMENT_HEAD, department=roads),
        "oexec": make_user("other_exec", role=R.EXECUTOR, department=yards),
        "ohead": make_user("other_head", role=R.DEPARTMENT_HEAD, department=yards),
        "admin": make_user("admin", role=R.CITY_ADMIN),
        "aud": make_user("auditor", role=R.AUDITOR),
        "su": make_user("superuser", is_superuser=True, is_staff=True),
        "nodep": make_user("no_dept", role=R.EXECUTOR),
    }


def report_in(state: Status, *, city, new_report, author):
    report = report_create(municipality=city, data=new_report(), author=author)
    original = report_create(municipality=city, data=new_report(description="Та же яма"))
    for action, note in PATHS[state]:
        report = report_transition(
            report=report,
            action=action,
            public_note=note,
            duplicate_of=original if action == "mark_duplicate" else None,
        )
    assert report.status == state
    return report


def test_the_table_names_every_report_permission_and_every_workflow_action():
    declared = {
        name.removeprefix("reports.") for name in rules.permissions.permissions if name.startswith("reports.")
    }
    assert declared == set(TABLE)
    assert set(TRANSITIONS) <= set(TABLE)
    assert set(WHEN) <= set(TABLE)


def test_the_states_table_matches_the_workflow_sources():
    """The hand-written WHEN must agree with the workflow (a changed transition fails here first)."""
    for action, transition in TRANSITIONS.items():
        assert WHEN[action] == transition.sources, action


@pytest.mark.parametrize("state", list(Status), ids=[s.value for s in Status])
def test_permission_matrix(state, people, city, new_report):
    report = report_in(state, city=city, new_report=new_report, author=people["auth"])
    assert report.department.slug == "roads"
    offered = {t.action for t in allowed_actions(report.status)}
    wrong = []
    for permission, allowed_people in TABLE.items():
        for person, user in people.items():
            expected = person in allowed_people and state in WHEN.get(permission, ALL)
            actual = user.has_perm(f"reports.{permission}", report) and (
                permission not in TRANSITIONS or permission in offered
            )
            if actual != expected:
                wrong.append(f"{permission} by {person} in {state}: expected {expected}, got {actual}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("permission", "allowed"),
    [
        # Questions asked without a report (which pages and menus to show): role alone decides.
        ("view_backoffice", {"mod", "exec", "head", "oexec", "ohead", "admin", "aud", "nodep"}),
        ("accept", {"mod", "admin"}),
        ("moderate_answer", {"mod", "admin"}),
        ("audit", {"admin", "aud"}),
        # Department work needs the report: without one only the city administrator may.
        ("start", {"admin"}),
        ("assign", {"admin"}),
        ("confirm", set()),
    ],
)
def test_permissions_without_a_report(permission, allowed, people):
    got = {person for person, user in people.items() if user.has_perm(f"reports.{permission}")}
    assert got == allowed


def test_an_inactive_author_may_not_confirm(people, city, new_report):
    report = report_in(Status.RESOLVED, city=city, new_report=new_report, author=people["auth"])
    author = people["auth"]
    author.is_active = False
    assert not author.has_perm("reports.confirm", report)


def test_the_owner_of_the_address_given_before_signing_up_acts_as_author(city, new_report, make_user):
    report = report_in(Status.RESOLVED, city=city, new_report=new_report, author=None)  # ivan@example.org
    owner = make_user("ivan", email="Ivan@Example.org")
    assert not owner.has_perm("reports.confirm", report)  # anyone could type the address in: prove it first
    owner.email_verified = True
    assert owner.has_perm("reports.confirm", report) and owner.has_perm("reports.dispute", report)
    assert not owner.has_perm("reports.rate", report)  # only after confirmation
