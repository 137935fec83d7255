"""The back office's home, the moderation queue and the department queue."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gorod.accounts.roles import is_department_staff, is_moderator
from gorod.backoffice.selectors import pages
from gorod.backoffice.selectors.desk import Desk, sees_all_departments
from gorod.backoffice.selectors.queues import SORT_OPTIONS, SORTS, STATUS_CHOICES, STATUS_OPTIONS, QueueFilter
from gorod.backoffice.views.common import int_or_none, map_config, page_links, staff_view


@require_GET
@staff_view
def home(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Moderators go to their queue, department staff to their department's; administrators and
    auditors get the overview of both."""
    if is_moderator(desk.user):
        return redirect("backoffice:moderation")
    if is_department_staff(desk.user):
        return redirect("backoffice:queue")
    figures = pages.home_figures(municipality=desk.municipality, today=desk.today)
    return render(request, "backoffice/home.html", {"desk": desk, "city": desk.municipality, **figures})


@require_GET
@staff_view
def moderation_queue(request: HttpRequest, desk: Desk) -> HttpResponse:
    if not sees_all_departments(desk.user):
        raise PermissionDenied  # new reports of every department are not a department's to read
    page = pages.moderation_page(desk=desk, page_number=request.GET.get("page"))
    context = {"desk": desk, "city": desk.municipality, **page, "page_links": page_links(page["page"], [])}
    return render(request, "backoffice/moderation.html", context)


@require_GET
@staff_view
def department_queue(request: HttpRequest, desk: Desk) -> HttpResponse:
    f = parse_queue_filter(request.GET, desk)
    queue = pages.queue_page(desk=desk, f=f, page_number=request.GET.get("page"))
    params = _filter_params(f)
    city = desk.municipality
    context = {
        "desk": desk,
        "city": city,
        "f": f,
        **queue,
        "page_links": page_links(queue["page"], params),
        "query": urlencode([*params, ("page", str(queue["page"].number))]),
        "statuses": STATUS_OPTIONS,
        "sorts": SORT_OPTIONS,
        "map_config": map_config(
            center=[city.center_lat, city.center_lon],
            zoom=city.default_zoom,
            reportUrl=reverse("backoffice:report", args=[0]),
            districts=reverse("reports-districts"),
            label=_("Report #%(id)s"),
        ),
    }
    return render(request, "backoffice/queue.html", context)


def parse_queue_filter(params: QueryDict, desk: Desk) -> QueueFilter:
    """Unknown or malformed values are dropped (the filter shows what was applied), never a 500."""
    department = int_or_none(params.get("department"))
    if not sees_all_departments(desk.user):
        department = desk.user.department_id
    status = params.get("status") or "working"
    assignee_raw = params.get("assignee", "")
    sort = params.get("sort") or "deadline"
    return QueueFilter(
        department=department,
        status=status if status in STATUS_CHOICES else "working",
        category=int_or_none(params.get("category")),
        district=int_or_none(params.get("district")),
        assignee=0 if assignee_raw == "none" else int_or_none(assignee_raw),
        overdue=params.get("overdue") == "1",
        text=(params.get("q") or "")[:100],
        sort=sort if sort in SORTS else "deadline",
    )


def _filter_params(f: QueueFilter) -> list[tuple[str, str]]:
    pairs = [("status", f.status), ("sort", f.sort)]
    for name in ("department", "category", "district"):
        if getattr(f, name):
            pairs.append((name, str(getattr(f, name))))
    if f.assignee is not None:
        pairs.append(("assignee", "none" if f.assignee == 0 else str(f.assignee)))
    if f.overdue:
        pairs.append(("overdue", "1"))
    if f.text:
        pairs.append(("q", f.text))
    return pairs
