"""A report's photo for staff who may see the report: every photo, private ones included (hidden by a
moderator, of a rejected or withheld report), which the public media tree no longer holds
(reports.photo_store). In production nginx sends the file: this view only checks and answers with
X-Accel-Redirect to an `internal` location (GOROD_PRIVATE_MEDIA_ACCEL, docs/deploy.md)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gorod.backoffice.selectors.desk import Desk, visible_reports
from gorod.backoffice.views.common import staff_view
from gorod.reports import photo_store
from gorod.reports.models import Photo


@require_GET
@staff_view
def photo(request: HttpRequest, desk: Desk, pk: int) -> HttpResponse | FileResponse:
    found = (
        Photo.objects.filter(
            pk=pk if pk < 2**63 else 0, report__in=visible_reports(desk.user, desk.municipality)
        )
        .only("pk", "image", "private")
        .first()
    )
    if found is None:
        raise Http404(_("There is no such photo of this report."))
    accel = settings.GOROD_PRIVATE_MEDIA_ACCEL
    response: HttpResponse | FileResponse
    if accel and found.private:
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(str(found.image.name))
    elif accel:
        # Public: nginx serves /media/ itself; the same path through an internal redirect.
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = settings.MEDIA_URL.rstrip("/") + "/" + quote(str(found.image.name))
    else:
        path = photo_store.path_of(found)
        if path is None:
            raise Http404(_("There is no such photo of this report."))
        response = FileResponse(path.open("rb"), content_type="image/jpeg")
    # Staff-only content: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response
