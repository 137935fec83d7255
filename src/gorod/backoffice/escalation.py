"""Once a day, each department head gets one e-mail listing their department's overdue reports.

Idempotent per day: the outbox key is the department, the head and the local date, so running the job
twice (a restarted worker catches up) or late sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from gorod.backoffice.selectors.desk import local_today
from gorod.backoffice.selectors.queues import overdue_by_department
from gorod.city import selectors as city_selectors
from gorod.city.models import Department, Municipality
from gorod.reports.models import Report


def escalate_overdue(*, municipality: Municipality, day: dt.date | None = None) -> int:
    """Enqueue the day's escalation mail for every head of a department with overdue reports; returns
    how many heads were written to (a repeated run enqueues nothing new: the outbox keys match)."""
    from gorod.notifications.services import email_enqueue

    day = day or local_today(municipality)
    calendar = city_selectors.calendar_for(municipality.pk)
    overdue = overdue_by_department(municipality, day)
    if not overdue:
        return 0
    departments = {d.pk: d for d in Department.objects.filter(pk__in=overdue)}
    heads = (
        get_user_model()
        .objects.filter(department_id__in=overdue, role="department_head", is_active=True)
        .exclude(email_hash="")
    )
    sent = 0
    for head in heads:
        assert head.department_id is not None  # filtered above
        department = departments[head.department_id]
        reports = overdue[head.department_id]
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            subject = _("%(department)s: %(n)d overdue reports on %(day)s") % {
                "department": department.label,
                "n": len(reports),
                "day": day.strftime("%d.%m.%Y"),
            }
            body = _body(department, reports, day, calendar, site=city_selectors.site_address(municipality))
            email_enqueue(
                to=head.email,
                subject=subject,
                body=body,
                key=f"escalation:{department.pk}:{head.pk}:{day.isoformat()}",
                municipality_id=municipality.pk,
                kind="staff",  # to a staff account about staff work: not held (notifications.addresses)
            )
        sent += 1
    return sent


def _body(department: Department, reports: list[Report], day: dt.date, calendar, *, site: str) -> str:
    lines = [
        _("These reports of %(department)s are past their deadline (working days overdue in brackets):")
        % {"department": department.label},
        "",
    ]
    for report in reports:
        late = max(1, calendar.working_days_between(report.deadline, day))
        url = site + reverse("backoffice:report", args=[report.pk])
        lines.append(
            f"№ {report.pk} · {report.category.label} · {report.district.label} · "
            f"{report.deadline.strftime('%d.%m.%Y')} ({late}) · {url}"
        )
    lines += [
        "",
        _("The department queue: %(url)s")
        % {"url": site + reverse("backoffice:queue") + "?status=open&overdue=1"},
    ]
    return "\n".join(lines)


def escalate_all(day: dt.date | None = None) -> int:
    return sum(escalate_overdue(municipality=m, day=day) for m in Municipality.objects.all())
