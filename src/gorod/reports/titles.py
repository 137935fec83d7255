"""What each event of a report's history is called on its public page (staff pages add their own)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

EVENT_TITLES = {
    "submit": gettext_lazy("Report received"),
    "accept": gettext_lazy("Accepted after moderation"),
    "reject": gettext_lazy("Rejected"),
    "mark_duplicate": gettext_lazy("Marked as a duplicate"),
    "start": gettext_lazy("Work started"),
    "resolve": gettext_lazy("Marked as resolved"),
    "confirm": gettext_lazy("Fix confirmed"),
    "dispute": gettext_lazy("Fix disputed"),
    "reopen": gettext_lazy("Reopened"),
    "transfer": gettext_lazy("Transferred to another department"),
}
AUTO_CONFIRM_TITLE = gettext_lazy("Fix confirmed: the author did not answer in time")
