"""What staff publish on a project page: updates (mailed to followers), documents, events."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gorod.consultations import documents
from gorod.consultations.errors import Refused
from gorod.consultations.models import Document, DocumentPage, Event, Project, Update
from gorod.consultations.services.common import full_clean
from gorod.consultations.services.follow import notify_update
from gorod.core import clock


@transaction.atomic
def update_publish(*, project: Project, title: str, body: str, author=None) -> Update:
    """Publish an update and put its mail to every follower in the outbox, in this transaction."""
    if not project.published:
        raise Refused(_("Publish the project before its updates: nobody can see them yet."))
    update = Update(project=project, title=(title or "").strip(), body=(body or "").strip(), author=author)
    update.published_at = clock.now()
    full_clean(update)
    update.save()
    notify_update(update)
    return update


@transaction.atomic
def document_add(*, project: Project, title: str, data: bytes) -> Document:
    """Render first, save after: a PDF refused on page 30 leaves no document and no files behind."""
    pages = documents.render_pdf(data)
    document = Document(
        project=project, title=(title or "").strip(), size_bytes=len(data), page_count=len(pages)
    )
    full_clean(document, exclude=["pdf"])
    document.pdf.save("document.pdf", ContentFile(data), save=False)
    document.save()
    for page in pages:
        row = DocumentPage(document=document, number=page.number, width=page.width, height=page.height)
        row.image.save(f"page-{page.number}.jpg", page.image, save=False)
        row.save()
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    files = [document.pdf.name, *document.pages.values_list("image", flat=True)]
    storage = document.pdf.storage
    document.delete()

    def remove_files() -> None:
        for name in files:
            if name:
                storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def event_add(
    *,
    project: Project,
    title: str,
    starts: dt.datetime,
    ends: dt.datetime,
    place: str = "",
    description: str = "",
) -> Event:
    if starts is None or ends is None:
        raise Refused(_("Give the start and the end of the event."), field="starts")
    if ends <= starts:
        raise Refused(_("An event must end after it starts."), field="ends")
    if ends - starts > dt.timedelta(days=31):
        raise Refused(_("An event lasts at most a month; add a phase for longer periods."), field="ends")
    event = Event(
        project=project,
        title=(title or "").strip(),
        starts=starts,
        ends=ends,
        place=place,
        description=description,
    )
    full_clean(event)
    event.save()
    return event


@transaction.atomic
def event_delete(*, event: Event) -> None:
    event.delete()
