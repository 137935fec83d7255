"""Slide files from staff uploads, made safe before anyone's browser sees them.

Images and panoramas go through the photo pipeline (core.images.clean_photo: decoded under pixel limits,
re-encoded to a fresh JPEG with no metadata); a panorama must be equirectangular, twice as wide as high,
and keeps more pixels (PANORAMA_SIDE) because a viewer shows only a slice of it at a time. A plan is a page
of a PDF, rendered by consultations.documents (pypdfium2) and re-encoded the same way."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _
from PIL import Image

from gorod.consultations import documents
from gorod.consultations.errors import Refused
from gorod.consultations.room.models import SlideKind
from gorod.core.images import PhotoRejected, clean_photo

IMAGE_MAX_BYTES = 10 * 1024 * 1024
PANORAMA_MAX_BYTES = 20 * 1024 * 1024
PDF_MAX_BYTES = 20 * 1024 * 1024
UPLOAD_MAX_BYTES = max(IMAGE_MAX_BYTES, PANORAMA_MAX_BYTES, PDF_MAX_BYTES)
PANORAMA_SIDE = 4096  # px wide once re-encoded: sharp enough in a viewer, light enough for a phone
PANORAMA_MIN_WIDTH = 1000
ASPECT_TOLERANCE = 0.02  # 2:1 within 2 %: cameras crop a few pixels


@dataclass(frozen=True)
class SlideFile:
    content: ContentFile
    width: int
    height: int


def _size(content: ContentFile) -> tuple[int, int]:
    with Image.open(io.BytesIO(content.read())) as image:
        content.seek(0)
        return image.width, image.height


def image_file(data: bytes) -> SlideFile:
    if len(data) > IMAGE_MAX_BYTES:
        raise Refused(_("The image is larger than %(mb)d MB.") % {"mb": IMAGE_MAX_BYTES >> 20}, field="file")
    try:
        content = clean_photo(data)
    except PhotoRejected as exc:
        raise Refused(str(exc), field="file") from exc
    width, height = _size(content)
    return SlideFile(content=content, width=width, height=height)


def panorama_file(data: bytes) -> SlideFile:
    if len(data) > PANORAMA_MAX_BYTES:
        raise Refused(
            _("The panorama is larger than %(mb)d MB.") % {"mb": PANORAMA_MAX_BYTES >> 20}, field="file"
        )
    try:
        content = clean_photo(data, max_bytes=PANORAMA_MAX_BYTES, max_side=PANORAMA_SIDE)
    except PhotoRejected as exc:
        raise Refused(str(exc), field="file") from exc
    width, height = _size(content)
    if abs(width / height - 2.0) > 2.0 * ASPECT_TOLERANCE:
        raise Refused(
            _(
                "A 360° panorama must be twice as wide as it is high (equirectangular); this one is "
                "%(w)d × %(h)d px."
            )
            % {"w": width, "h": height},
            field="file",
        )
    if width < PANORAMA_MIN_WIDTH:
        raise Refused(
            _("The panorama is too small: at least %(w)d px wide.") % {"w": PANORAMA_MIN_WIDTH}, field="file"
        )
    return SlideFile(content=content, width=width, height=height)


def plan_files(data: bytes, *, page: int | None) -> list[tuple[int, SlideFile]]:
    """The chosen page of a PDF (or every page) as (page number, file)."""
    if len(data) > PDF_MAX_BYTES:
        raise Refused(_("The PDF is larger than %(mb)d MB.") % {"mb": PDF_MAX_BYTES >> 20}, field="file")
    try:
        pages = documents.render_pdf(data)
    except Refused as exc:
        raise Refused(exc.message, field="file") from exc
    if page is not None:
        if not 1 <= page <= len(pages):
            raise Refused(
                _("The PDF has %(n)d pages; choose a page from 1 to %(n)d.") % {"n": len(pages)},
                field="page",
            )
        pages = [pages[page - 1]]
    return [(p.number, SlideFile(content=p.image, width=p.width, height=p.height)) for p in pages]


def files_for(kind: str, data: bytes, *, page: int | None = None) -> list[tuple[int, SlideFile]]:
    if not data:
        raise Refused(_("Choose a file to upload."), field="file")
    if kind == SlideKind.IMAGE:
        return [(0, image_file(data))]
    if kind == SlideKind.PANORAMA:
        return [(0, panorama_file(data))]
    if kind == SlideKind.PLAN:
        return plan_files(data, page=page)
    raise Refused(_("Choose the kind of slide."), field="kind")


class SlideUploadLimit(FileUploadHandler):
    """First upload handler of the slide form: one file, field `file`, dropped while it streams in once it
    passes UPLOAD_MAX_BYTES, so an oversized upload becomes a message and never fills the disk."""

    def __init__(self, request=None):
        super().__init__(request)
        self.too_big = False
        self.count = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.count += 1
        if field_name != "file" or self.count > 1:
            raise SkipFile()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > UPLOAD_MAX_BYTES:
            self.too_big = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def limits_text() -> dict[str, int]:
    """The stated limits, for the form and the docs."""
    return {
        "image_mb": IMAGE_MAX_BYTES >> 20,
        "panorama_mb": PANORAMA_MAX_BYTES >> 20,
        "pdf_mb": PDF_MAX_BYTES >> 20,
        "pixels_mp": settings.GOROD_PHOTO_MAX_PIXELS // 1_000_000,
        "panorama_side": PANORAMA_SIDE,
    }
