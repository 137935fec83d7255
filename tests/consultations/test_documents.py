"""PDF documents: pages rendered on the server and re-encoded; hostile or oversized files refused with a
clear message and nothing saved (no row, no file)."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from gorod.consultations import services
from gorod.consultations.errors import Refused
from gorod.consultations.models import Document, DocumentPage
from gorod.demo.consultations.pdf import make_pdf

pytestmark = pytest.mark.usefixtures("english")


def _files(root) -> list[str]:
    return [name for _dir, _subdirs, names in os.walk(root) for name in names]


def test_a_pdf_becomes_page_images(make_project, pdf_bytes, settings):
    document = services.document_add(project=make_project(), title="Plan", data=pdf_bytes)
    assert document.page_count == 2 and document.size_bytes == len(pdf_bytes)
    pages = list(document.pages.all())
    assert [p.number for p in pages] == [1, 2]
    with pages[0].image.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        assert image.format == "JPEG"
        assert image.width == pages[0].width <= 1200
        assert not image.info.get("exif")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a PDF"),
        (b"<html><script>alert(1)</script></html>", "not a PDF"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "damaged"),
        (make_pdf([["ok"]])[:200], "damaged"),  # truncated
    ],
)
def test_a_bad_pdf_is_refused_and_nothing_is_saved(make_project, data, message, settings):
    with pytest.raises(Refused, match=message):
        services.document_add(project=make_project(), title="Bad", data=data)
    assert not Document.objects.exists() and not DocumentPage.objects.exists()
    assert _files(settings.MEDIA_ROOT) == []


def test_too_many_pages_is_refused(make_project, settings):
    settings.GOROD_DOCUMENT_MAX_PAGES = 3
    with pytest.raises(Refused, match="at most 3"):
        services.document_add(project=make_project(), title="Long", data=make_pdf([["p"]] * 4))
    assert not Document.objects.exists()


def test_too_large_a_file_is_refused(make_project, settings, pdf_bytes):
    settings.GOROD_DOCUMENT_MAX_BYTES = len(pdf_bytes) - 1
    with pytest.raises(Refused, match="larger than"):
        services.document_add(project=make_project(), title="Big", data=pdf_bytes)


def test_an_absurd_page_size_is_refused(make_project):
    with pytest.raises(Refused, match="impossible size"):
        services.document_add(project=make_project(), title="Huge", data=make_pdf([["x"]], width=100000))


def test_deleting_a_document_removes_its_files(
    make_project, pdf_bytes, settings, django_capture_on_commit_callbacks
):
    document = services.document_add(project=make_project(), title="Plan", data=pdf_bytes)
    assert len(_files(settings.MEDIA_ROOT)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=document)
    assert _files(settings.MEDIA_ROOT) == []
