"""The workflow matrix: every action from every status is either the table's transition or refused."""

import pytest

from gorod.reports.models import Report, ReportEvent
from gorod.reports.services import ReportConflict, ReportInvalid, report_transition
from gorod.reports.workflow import TRANSITIONS, Status, allowed_actions

pytestmark = pytest.mark.django_db

# The shortest path of actions from a new report to each status, built only from the table.
PATH_TO = {
    Status.SUBMITTED: [],
    Status.ACCEPTED: ["accept"],
    Status.IN_PROGRESS: ["accept", "start"],
    Status.RESOLVED: ["accept", "resolve"],
    Status.CONFIRMED: ["accept", "resolve", "confirm"],
    Status.DISPUTED: ["accept", "resolve", "dispute"],
    Status.REOPENED: ["accept", "resolve", "dispute", "reopen"],
    Status.REJECTED: ["reject"],
    Status.DUPLICATE: ["mark_duplicate"],
}


@pytest.fixture
def move(categories):
    from gorod.city.models import Department

    other_department = Department.objects.get(slug="yards")

    def apply(report, action, original=None):
        return report_transition(
            report=report,
            action=action,
            public_note="причина",
            private_note="для своих",
            duplicate_of=original,
            department=other_department,
        )

    return apply


def _bring(report, status, move, original):
    for action in PATH_TO[status]:
        report = move(report, action, original)
    assert report.status == status
    return report


def test_every_status_is_reachable_by_the_paths_above():
    assert set(PATH_TO) == set(Status)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_action_from_status_follows_the_table(frozen_spring, file_report, move, status, action):
    original = file_report(description="оригинал")
    report = _bring(file_report(), status, move, original)
    events_before = ReportEvent.objects.filter(report=report).count()
    transition = TRANSITIONS[action]
    if status in transition.sources:
        report = move(report, action, original)
        expected = transition.target or status
        assert report.status == expected
        event = ReportEvent.objects.filter(report=report).last()
        assert (event.action, event.from_status, event.to_status) == (action, status, expected)
        assert (event.public_note, event.private_note) == ("причина", "для своих")
    else:
        with pytest.raises(ReportConflict):
            move(report, action, original)
        assert Report.objects.get(pk=report.pk).status == status
        assert ReportEvent.objects.filter(report=report).count() == events_before


def test_reason_is_required_where_the_table_says(frozen_spring, file_report):
    report = file_report()
    with pytest.raises(ReportInvalid):
        report_transition(report=report, action="reject", public_note="  ")
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_unknown_action_is_refused(frozen_spring, file_report):
    with pytest.raises(ReportInvalid):
        report_transition(report=file_report(), action="delete")


def test_duplicate_needs_another_report_of_the_same_city(frozen_spring, file_report):
    report = file_report()
    with pytest.raises(ReportInvalid):
        report_transition(report=report, action="mark_duplicate", duplicate_of=None)
    with pytest.raises(ReportInvalid):
        report_transition(report=report, action="mark_duplicate", duplicate_of=report)
    original = file_report()
    report = report_transition(report=report, action="mark_duplicate", duplicate_of=original)
    assert report.duplicate_of == original and not report.is_open and report.closed_at


def test_transfer_changes_department_and_keeps_status(frozen_spring, file_report):
    from gorod.city.models import Department

    report = file_report()
    roads = report.department
    with pytest.raises(ReportInvalid):
        report_transition(report=report, action="transfer", public_note="не наше", department=roads)
    yards = Department.objects.get(slug="yards")
    report = report_transition(report=report, action="transfer", public_note="не наше", department=yards)
    assert report.department == yards and report.status == Status.SUBMITTED
    assert ReportEvent.objects.filter(report=report, action="transfer", department=yards).exists()


def test_reopened_report_is_open_again_and_closed_at_cleared(frozen_spring, file_report, move):
    report = _bring(file_report(), Status.RESOLVED, move, None)
    assert report.closed_at is not None
    report = move(move(report, "dispute"), "reopen")
    assert report.is_open and report.closed_at is None


def test_allowed_actions_lists_exactly_the_table_rows():
    for status in Status:
        assert {t.action for t in allowed_actions(status)} == {
            a for a, t in TRANSITIONS.items() if status in t.sources
        }


def test_open311_status_is_open_or_closed():
    assert {s.open311 for s in Status} == {"open", "closed"}
    assert Status.RESOLVED.open311 == "closed" and Status.REOPENED.open311 == "open"
