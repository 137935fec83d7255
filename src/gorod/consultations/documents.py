"""PDF documents → page images, on the server, with pypdfium2 (PDFium, the engine of Chromium's viewer).

A PDF from anywhere is hostile until proven otherwise: it is refused when it is too large, is not a PDF,
cannot be parsed, asks for a password, has too many pages or a page of absurd size. Each page is rendered
to at most PAGE_WIDTH px wide and then re-encoded by core.images.clean_photo like any uploaded photo, so
what residents' browsers load is a plain JPEG of pixels. The PDF itself is kept for download."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from gorod.consultations.errors import Refused
from gorod.core.images import PhotoRejected, clean_photo

PAGE_WIDTH = 1200  # px: sharp on a laptop, still light on a phone
MAX_PAGE_POINTS = 14_400  # PDF's own upper limit for a page side (200 in), in points


def max_bytes() -> int:
    return int(getattr(settings, "GOROD_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


def max_pages() -> int:
    return int(getattr(settings, "GOROD_DOCUMENT_MAX_PAGES", 60))


@dataclass(frozen=True)
class RenderedPage:
    number: int
    image: ContentFile
    width: int
    height: int


def render_pdf(data: bytes) -> list[RenderedPage]:
    """The pages of a PDF as clean JPEGs, or Refused with a message for the person who uploaded it."""
    import pypdfium2 as pdfium

    if len(data) > max_bytes():
        raise Refused(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes() >> 20}, field="pdf")
    if not data.lstrip()[:5] == b"%PDF-":
        raise Refused(_("This file is not a PDF."), field="pdf")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Refused(
                _("This PDF is protected by a password; upload it without one."), field="pdf"
            ) from exc
        raise Refused(_("This PDF is damaged or not one we can read."), field="pdf") from exc
    try:
        count = len(pdf)
        if count == 0:
            raise Refused(_("This PDF has no pages."), field="pdf")
        if count > max_pages():
            raise Refused(
                _("The PDF has %(n)d pages; at most %(max)d can be shown.")
                % {"n": count, "max": max_pages()},
                field="pdf",
            )
        return [_render_page(pdf, index) for index in range(count)]
    finally:
        pdf.close()


def _render_page(pdf, index: int) -> RenderedPage:
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
        try:
            width_pt, height_pt = page.get_size()
            if not (1 <= width_pt <= MAX_PAGE_POINTS and 1 <= height_pt <= MAX_PAGE_POINTS):
                raise Refused(
                    _("Page %(n)d of the PDF has an impossible size.") % {"n": index + 1}, field="pdf"
                )
            # Very tall pages (a long strip) are capped by the photo pipeline's own side limit.
            scale = min(PAGE_WIDTH / width_pt, settings.GOROD_PHOTO_MAX_SIDE / height_pt)
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil().convert("RGB")
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        raise Refused(_("Page %(n)d of the PDF cannot be read.") % {"n": index + 1}, field="pdf") from exc
    raw = io.BytesIO()
    image.save(raw, format="JPEG", quality=90)
    try:
        clean = clean_photo(raw.getvalue())
    except PhotoRejected as exc:
        raise Refused(_("Page %(n)d of the PDF cannot be shown.") % {"n": index + 1}, field="pdf") from exc
    return RenderedPage(number=index + 1, image=clean, width=image.width, height=image.height)


class DocumentLimit(FileUploadHandler):
    """First upload handler of the document form: one file, field `pdf`, dropped while it streams in once
    it passes max_bytes(), so an oversized upload becomes a message and never fills the disk. Must be
    installed before request.POST is read (and so before the CSRF check reads it)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.too_big = False
        self.count = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.count += 1
        if field_name != "pdf" or self.count > 1:
            raise SkipFile()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_bytes():
            self.too_big = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
