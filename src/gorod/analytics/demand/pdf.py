"""The demand report as a PDF (WeasyPrint): the same figures template as the HTML page, in a standalone
document with its own print stylesheet and nothing fetched (no URL in it is ever loaded)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from gorod.analytics.demand.catalog import TERM_MIN_PEOPLE
from gorod.analytics.demand.selectors import DemandFigures


def _refuse(url: str, *args, **kwargs):
    raise ValueError("the demand report loads nothing")  # WeasyPrint logs it and leaves the resource out


def render_pdf(figures: DemandFigures, language: str) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML  # imported here: loading pango costs ~0.3 s, which pages need not pay

    # WeasyPrint's import turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; uploads
    # (photos, logos) must keep failing on a truncated file, and the report embeds no image of its own.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    with translation.override(language):
        html = render_to_string(
            "analytics/demand/report_pdf.html", {"f": figures, "pdf": True, "min_people": TERM_MIN_PEOPLE}
        )
    return HTML(string=html, url_fetcher=_refuse).write_pdf()
