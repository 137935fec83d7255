"""What the mails say. Plain text only, rendered from templates/email/ with autoescaping off: a report's
text is shown as the citizen typed it, and since no HTML part is ever sent, markup in it stays inert text."""

from __future__ import annotations

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gorod.notifications import links
from gorod.reports.services import feedback
from gorod.reports.workflow import Status

HEADLINES = {
    "submit": gettext_lazy("Your report has been received."),
    "accept": gettext_lazy("The report was accepted after moderation and passed to the department."),
    "reject": gettext_lazy("The report was rejected."),
    "mark_duplicate": gettext_lazy("The report repeats an earlier one."),
    "start": gettext_lazy("The department has started work."),
    "resolve": gettext_lazy("The department says the problem is fixed."),
    "confirm": gettext_lazy("The fix was confirmed."),
    "dispute": gettext_lazy("The fix was disputed."),
    "reopen": gettext_lazy("The report was reopened."),
    "transfer": gettext_lazy("The report was transferred to another department."),
}
EXCERPT = 500


def one_line(text: str, limit: int = 200) -> str:
    """A header-safe subject: no line breaks (header injection), bounded length."""
    return re.sub(r"\s+", " ", text).strip()[:limit]


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def report_event(*, event, report, for_author: bool, unsubscribe_url: str, language: str = "") -> tuple:
    """(subject, body) of a mail about one public change of a report."""
    with translation.override(language or settings.LANGUAGE_CODE):
        headline = HEADLINES.get(event.action, "")
        subject = one_line(
            _("Report №%(id)s: %(status)s") % {"id": report.pk, "status": status_label(event.to_status)}
        )
        body = render_to_string(
            "email/report_event.txt",
            {
                "for_author": for_author,
                "headline": headline,
                "report": report,
                "category": report.category.label,
                "status": status_label(event.to_status),
                "status_changed": event.from_status != event.to_status,
                "note": event.public_note,
                "description": excerpt(report.description) if event.action == "submit" else "",
                "url": links.report_url(report),
                "answer_url": _answer_url(event, report) if for_author else "",
                "unsubscribe_url": unsubscribe_url,
            },
        )
    return subject, body


def _answer_url(event, report) -> str:
    """For the author of a report just resolved: the signed link to confirm or dispute the fix without
    signing in (the link names only the report and the resolution it answers)."""
    if event.to_status != Status.RESOLVED or report.status != Status.RESOLVED:
        return ""
    path = feedback.confirmation_url(report)
    return links.site_url(path, municipality_id=report.municipality_id) if path else ""


def area_alert(*, report, alert, unsubscribe_url: str) -> tuple[str, str]:
    with translation.override(alert.language or settings.LANGUAGE_CODE):
        subject = one_line(
            _("New report №%(id)s in your area: %(category)s")
            % {"id": report.pk, "category": report.category.label}
        )
        body = render_to_string(
            "email/area_alert.txt",
            {
                "report": report,
                "category": report.category.label,
                "district": report.district.label,
                "description": excerpt(report.description),
                "url": links.report_url(report),
                "unsubscribe_url": unsubscribe_url,
            },
        )
    return subject, body


def digest(*, reports: list, more: int, alert, unsubscribe_url: str) -> tuple[str, str]:
    with translation.override(alert.language or settings.LANGUAGE_CODE):
        count = len(reports) + more
        subject = one_line(
            translation.ngettext("%(n)d new report in your area", "%(n)d new reports in your area", count)
            % {"n": count}
        )
        body = render_to_string(
            "email/digest.txt",
            {
                "items": [
                    {
                        "id": r.pk,
                        "category": r.category.label,
                        "description": excerpt(r.description, 160),
                        "url": links.report_url(r),
                    }
                    for r in reports
                ],
                "more": more,
                "unsubscribe_url": unsubscribe_url,
            },
        )
    return subject, body


def follow_confirm(*, report, confirm_url: str, language: str = "") -> tuple[str, str]:
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = one_line(_("Confirm: follow report №%(id)s") % {"id": report.pk})
        body = render_to_string(
            "email/follow_confirm.txt",
            {"report": report, "category": report.category.label, "confirm_url": confirm_url},
        )
    return subject, body


def address_confirm(*, confirm_url: str, municipality_id: int | None) -> tuple[str, str]:
    """The one mail an unconfirmed address gets: our words, the city's name and the link, nothing that
    anyone else wrote. In both languages: we do not know which one a stranger to us reads."""
    from gorod.city import selectors as city_selectors

    city = next((m for m in city_selectors.municipalities() if m.pk == municipality_id), None)
    subjects, bodies = [], []
    languages = [settings.LANGUAGE_CODE] + [c for c, _n in settings.LANGUAGES if c != settings.LANGUAGE_CODE]
    for code in languages:
        with translation.override(code):
            name = city.label if city is not None else _("Gorod")
            subjects.append(_("Confirm your e-mail address for %(city)s") % {"city": name})
            bodies.append(
                render_to_string("email/address_confirm.txt", {"city": name, "confirm_url": confirm_url})
            )
    return one_line(" / ".join(dict.fromkeys(subjects))), "\n\n".join(bodies)
