"""Every back-office action × role × a representative set of report states, over HTTP. What a role may
do is written out here by hand (not read from rules.py), so a change of the rules that widens a role
fails this test. A refused post answers 404 (a report outside one's queues), 403 (a right one lacks) or
409 (a state the workflow forbids) and changes nothing: not the report, not its history, not its photos."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gorod.city.models import Department, RejectionReason
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.workflow import CLOSED, TRANSITIONS, Status
from tests.backoffice.states import PATHS, bring_to
from tests.conftest import make_jpeg

pytestmark = pytest.mark.django_db

# What each role may do to a report of the "roads" department (executor and head work there).
MAY = {
    "moderator": {"accept", "reject", "duplicate", "hide", "photo", "transfer", "reopen", "note"},
    "executor": {"start", "resolve", "transfer", "note"},
    "head": {"start", "resolve", "transfer", "reopen", "assign", "note"},
    "admin": {
        "accept", "reject", "duplicate", "hide", "photo", "start", "resolve", "transfer", "reopen",
        "assign", "note",
    },
    "auditor": set(),
}  # fmt: skip
ACTIONS = (
    "accept",
    "reject",
    "duplicate",
    "hide",
    "photo",
    "start",
    "resolve",
    "transfer",
    "reopen",
    "assign",
    "note",
)
WORKFLOW = {"accept", "reject", "duplicate", "start", "resolve", "transfer", "reopen"}


def state_allows(action: str, state: str) -> bool:
    if action in WORKFLOW:
        name = "mark_duplicate" if action == "duplicate" else action
        return Status(state) in TRANSITIONS[name].sources
    if action == "assign":
        return Status(state) not in CLOSED
    return True  # hiding data, a photo, a private note: in any state


def expected(role: str, action: str, state: str) -> int:
    if role == "citizen":
        return 403
    if role == "other_executor":
        return 404  # another department's report: not even there for them
    if action not in MAY[role]:
        return 403
    if not state_allows(action, state):
        return 409
    return 302


def _post(client, report: Report, action: str, staff, original: Report):
    yards = Department.objects.get(slug="yards")
    url = f"/backoffice/reports/{report.pk}/"
    photo = report.photos.first()
    posts = {
        "accept": ("accept", {}),
        "reject": ("reject", {"reason": RejectionReason.objects.first().pk, "reject_text": "x"}),
        "duplicate": ("duplicate", {"original": str(original.pk)}),
        "hide": ("hide", {"hide_name": "1", "redacted_description": "Яма у дома [скрыто]"}),
        "photo": ("photo", {"photo": photo.pk, "hidden": "1"}),
        "start": ("act", {"action": "start"}),
        "resolve": (
            "act",
            {
                "action": "resolve",
                "public_note": "Заделали",
                "proof": SimpleUploadedFile("p.jpg", make_jpeg()),
            },
        ),
        "transfer": ("act", {"action": "transfer", "department": yards.pk, "public_note": "Не наше"}),
        "reopen": ("act", {"action": "reopen", "public_note": "Снова"}),
        "assign": ("assign", {"assignee": staff["executor"].pk}),
        "note": ("note", {"note": "Позвонить подрядчику"}),
    }
    endpoint, data = posts[action]
    return client.post(url + endpoint + "/", data)


def _snapshot(report: Report):
    fresh = Report.objects.get(pk=report.pk)
    return (
        {
            f.attname: getattr(fresh, f.attname)
            for f in Report._meta.concrete_fields
            if f.attname != "updated"
        },
        list(ReportEvent.objects.filter(report=report).values_list("id", "note_state", "public_note")),
        list(Photo.objects.filter(report=report).values_list("id", "hidden")),
    )


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize(
    "role", ["moderator", "executor", "head", "other_executor", "admin", "auditor", "citizen"]
)
def test_every_action_is_allowed_or_refused_with_nothing_changed(
    role, state, staff, client_for, file_report, frozen_spring, caplog
):
    client = client_for(role)
    original = file_report(description="Та же яма")
    for action in ACTIONS:
        report = bring_to(file_report(photos=[make_jpeg()], show_name=True), state)
        before = _snapshot(report)
        with caplog.at_level(logging.WARNING, logger="gorod.backoffice"):
            caplog.clear()
            response = _post(client, report, action, staff, original)
        want = expected(role, action, state)
        assert response.status_code == want, (role, state, action, response.status_code)
        if want == 302:
            assert _snapshot(report) != before, (role, state, action)
            continue
        assert _snapshot(report) == before, (role, state, action)
        if role != "citizen":
            # Refusals are logged with ids only.
            assert any(f"report {report.pk}" in r.getMessage() for r in caplog.records), (role, state, action)
            assert all("Иван" not in r.getMessage() and "ivan@" not in r.getMessage() for r in caplog.records)


def test_a_refused_state_change_says_why(client_for, file_report, frozen_spring):
    report = bring_to(file_report(), "rejected")
    response = client_for("moderator").post(f"/backoffice/reports/{report.pk}/accept/")
    assert response.status_code == 409
    assert "already been moderated" in response.content.decode() or "уже" in response.content.decode()


def test_unknown_action_and_huge_numbers_are_404(client_for, file_report, frozen_spring):
    report = file_report()
    client = client_for("admin")
    assert client.post(f"/backoffice/reports/{report.pk}/delete/").status_code == 404
    assert client.get(f"/backoffice/reports/{2**63}/").status_code == 404
    assert client.post(f"/backoffice/reports/{2**63}/accept/").status_code == 404


def test_posts_need_the_csrf_token(staff, file_report, frozen_spring):
    from django.test import Client

    from tests.helpers import login_verified

    client = login_verified(Client(enforce_csrf_checks=True), staff["moderator"])
    report = file_report()
    assert client.post(f"/backoffice/reports/{report.pk}/accept/").status_code == 403
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_staff_without_the_second_factor_are_sent_to_verify(staff, file_report, frozen_spring):
    from django.test import Client

    client = Client()
    client.force_login(staff["moderator"])  # password only, no TOTP in this session
    report = file_report()
    response = client.post(f"/backoffice/reports/{report.pk}/accept/")
    assert response.status_code == 302 and "/backoffice/" not in response["Location"].split("?")[0]
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
