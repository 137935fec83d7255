"""Bring a report to a workflow state through the real services (test helper)."""

from __future__ import annotations

from gorod.reports.services import report_transition

PATHS = {
    "submitted": [],
    "accepted": [("accept", "")],
    "in_progress": [("accept", ""), ("start", "")],
    "resolved": [("accept", ""), ("start", ""), ("resolve", "Сделано")],
    "disputed": [("accept", ""), ("start", ""), ("resolve", "Сделано"), ("dispute", "Не сделано")],
    "rejected": [("reject", "Не наше")],
}


def bring_to(report, state: str):
    for action, note in PATHS[state]:
        report = report_transition(report=report, action=action, public_note=note)
    return report
