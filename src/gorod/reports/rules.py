"""Who may do what to a report, as django-rules permissions named `reports.<action>`.

Permissions answer "may this person act on this report at all" (role, department, authorship). Whether the
report's *state* allows a workflow action is the workflow's question (workflow.TRANSITIONS); views ask
both, and report_transition enforces the workflow again under a row lock. Permissions that are not
workflow actions carry their own state condition where one exists (a rating only after confirmation).

`User.has_perm` answers these from the predicates alone: a superuser gets no shortcut past them.
The matrix in tests/accounts/test_permission_matrix.py pins every permission × role × state."""

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
from gorod.reports.workflow import Status


@rules.predicate
def in_report_department(user, report) -> bool:
    department_id = getattr(user, "department_id", None)
    return report is not None and department_id is not None and department_id == report.department_id


@rules.predicate
def is_report_author(user, report) -> bool:
    """The account that filed the report, or the owner of the e-mail address given with it — once the
    account has proven that address (reports filed before signing up belong to their author too)."""
    if report is None or not getattr(user, "is_authenticated", False):
        return False
    if report.author_id is not None and report.author_id == user.pk:
        return True
    email_hash = getattr(user, "email_hash", "")
    return bool(getattr(user, "email_verified", False) and email_hash and report.email_hash == email_hash)


@rules.predicate
def is_confirmed(user, report) -> bool:
    return report is not None and report.status == Status.CONFIRMED


moderates = is_moderator | is_city_admin
works_on = (is_department_staff & in_report_department) | is_city_admin
heads = (is_department_head & in_report_department) | is_city_admin
owns = is_signed_in & is_report_author

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
rules.add_perm("reports.confirm", owns)
rules.add_perm("reports.dispute", owns)

# Back-office work that is not a status change.
rules.add_perm("reports.edit_content", moderates)  # fix category, place, text on acceptance
rules.add_perm("reports.hide_content", moderates)  # hide personal data or a photo
rules.add_perm("reports.moderate_answer", moderates)  # publish or send back a department's answer
rules.add_perm("reports.add_note", moderates | works_on)  # private notes
rules.add_perm("reports.assign", heads)
rules.add_perm("reports.rate", owns & is_confirmed)  # one rating, after the author confirmed the fix

# Reading everything in the back office without changing it.
rules.add_perm("reports.audit", is_auditor | is_city_admin)
