"""Dead letters: deliveries the worker gave up on, for staff to see why and send again. Shown without
the recipient or the message (personal data); the report number and the error say enough to act."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gorod.backoffice.selectors.desk import Desk, sees_all_departments
from gorod.backoffice.views.common import int_or_none, log_refusal, page_links, staff_view

PAGE_SIZE = 50


def _may_see(user) -> bool:
    return sees_all_departments(user)


def _may_retry(user) -> bool:
    return bool(user.has_perm("notifications.retry"))


@require_GET
@staff_view
def dead_letters(request: HttpRequest, desk: Desk) -> HttpResponse:
    if not _may_see(desk.user):
        raise PermissionDenied
    from gorod.notifications.selectors import dead_letters as dead_letters_of
    from gorod.notifications.selectors import not_sent

    paginator = Paginator(dead_letters_of(municipality=desk.municipality), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/dead_letters.html",
        {
            "desk": desk,
            "city": desk.municipality,
            "page": page,
            "page_links": page_links(page, []),
            "may_retry": _may_retry(desk.user),
            "not_sent": list(not_sent(municipality=desk.municipality)),
        },
    )


@require_POST
@staff_view
def retry(request: HttpRequest, desk: Desk, pk: int) -> HttpResponse:
    if not _may_retry(desk.user):
        log_refusal(request, "delivery_retry", None, "permission")
        raise PermissionDenied
    from gorod.notifications.selectors import dead_letters as dead_letters_of
    from gorod.notifications.services import delivery_retry

    delivery = dead_letters_of(municipality=desk.municipality).filter(pk=int_or_none(str(pk)) or 0).first()
    if delivery is None:
        raise Http404(_("There is no such failed delivery."))
    try:
        delivery_retry(delivery=delivery, actor=desk.user)
    except PermissionDenied:
        log_refusal(request, "delivery_retry", delivery.report_id, "permission")
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Delivery #%(id)s will be sent again.") % {"id": delivery.pk})
    return redirect("backoffice:dead-letters")
