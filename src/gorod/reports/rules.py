"""Who may do what to a report, as django-rules permissions named `reports.<action>`.

Permissions answer "may this role act on this report at all" (role, department, authorship). Whether the
report's *state* allows the action is the workflow's question (workflow.TRANSITIONS); views ask both, and
report_transition enforces the workflow again under a row lock."""

from __future__ import annotations

import rules

from gorod.accounts.roles import (
    is_auditor,
    is_city_admin,
    is_department_head,
    is_department_staff,
    is_moderator,
    is_signed_in,
    is_staff_member,
)


@rules.predicate
def in_report_department(user, report) -> bool:
    return (
        report is not None and user.department_id is not None and user.department_id == report.department_id
    )


@rules.predicate
def is_report_author(user, report) -> bool:
    return report is not None and report.author_id is not None and report.author_id == user.pk


moderates = is_moderator | is_city_admin
works_on = (is_department_staff & in_report_department) | is_city_admin
heads = (is_department_head & in_report_department) | is_city_admin

# Back office pages (read): every staff role; auditors read everything but change nothing.
rules.add_perm("reports.view_backoffice", is_staff_member)
# Contact details of the author: not auditors, and department staff only for their own department's reports.
rules.add_perm("reports.view_contacts", moderates | works_on)

# One permission per workflow action (workflow.TRANSITIONS).
rules.add_perm("reports.accept", moderates)
rules.add_perm("reports.reject", moderates)
rules.add_perm("reports.mark_duplicate", moderates)
rules.add_perm("reports.start", works_on)
rules.add_perm("reports.resolve", works_on)
rules.add_perm("reports.transfer", moderates | works_on)
rules.add_perm("reports.reopen", moderates | heads)
rules.add_perm("reports.confirm", is_signed_in & is_report_author)
rules.add_perm("reports.dispute", is_signed_in & is_report_author)

# Back-office work that is not a status change.
rules.add_perm("reports.edit_content", moderates)  # fix category, place, text on acceptance
rules.add_perm("reports.hide_content", moderates)  # hide personal data or a photo
rules.add_perm("reports.moderate_answer", moderates)  # publish or send back a department's answer
rules.add_perm("reports.add_note", moderates | works_on)  # private notes
rules.add_perm("reports.assign", heads)
rules.add_perm("reports.rate", is_signed_in & is_report_author)

# Reading everything in the back office without changing it.
rules.add_perm("reports.audit", is_auditor | is_city_admin)
