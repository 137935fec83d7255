"""Uploaded images are hostile until re-encoded: open with Pillow under size and pixel limits, apply the
EXIF orientation, then write a fresh JPEG with no metadata at all (no EXIF, GPS, XMP, ICC, comments).

Generic: any app that takes pictures from the public (reports, budgeting, consultations, news) cleans
them here and stores the result in its own models. Limits come from the GOROD_PHOTO_* settings and
GOROD_MAX_PHOTOS."""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # a phone MPO opens as JPEG


class PhotoRejected(ValueError):
    pass


def clean_photo(data: bytes, *, max_bytes: int | None = None, max_side: int | None = None) -> ContentFile:
    """Return a re-encoded JPEG of at most GOROD_PHOTO_MAX_SIDE px a side, or raise PhotoRejected.
    `max_bytes` and `max_side` replace the settings for pictures with limits of their own (a 360°
    panorama is shown a slice at a time, so it keeps more pixels); the pixel limit always holds."""
    max_bytes = max_bytes or settings.GOROD_PHOTO_MAX_BYTES
    if len(data) > max_bytes:
        raise PhotoRejected(_("The photo is larger than %(mb)d MB.") % {"mb": max_bytes >> 20})
    image = _decoded(data).convert("RGB")
    side = max_side or settings.GOROD_PHOTO_MAX_SIDE
    if image.width > side or image.height > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    # A new image with only the pixels: nothing of the original's info dict can follow it.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


def _decoded(data: bytes) -> Image.Image:
    """The pixels of an accepted image, turned upright by its EXIF orientation; raises PhotoRejected."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the decoders of the formats we accept ever see the bytes.
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
                if probe.width * probe.height > settings.GOROD_PHOTO_MAX_PIXELS:
                    raise PhotoRejected(_("The photo has too many pixels."))
                probe.seek(0)
                probe.load()
                image = ImageOps.exif_transpose(probe)
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoRejected(_("This file is not a photo we can read.")) from exc
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or malformed image data
        raise PhotoRejected(_("This file is not a photo we can read.")) from exc
    return image


# A logo is shown 36 px high; four times that is plenty for sharp screens and keeps the file small.
LOGO_MAX_SIDE = 256


def clean_logo(data: bytes) -> bytes:
    """A municipality's logo as a fresh PNG of its pixels only (transparency kept, no metadata, no
    trailing bytes), at most LOGO_MAX_SIDE px a side; raises PhotoRejected. SVG never gets here: it can
    carry scripts, and only the raster decoders of ACCEPTED_FORMATS ever see the bytes."""
    image = _decoded(data).convert("RGBA")
    if image.width > LOGO_MAX_SIDE or image.height > LOGO_MAX_SIDE:
        image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new("RGBA", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


class PhotoLimits(FileUploadHandler):
    """First upload handler of a request that may carry photos (the report form, Open311 POST): counts
    the files and drops any beyond the limit or larger than GOROD_PHOTO_MAX_BYTES while they stream in,
    so an oversized upload becomes an error message and never fills the disk. File fields with any other
    name are dropped unread. Must be installed before request.POST is read."""

    def __init__(self, request=None, *, field_name: str = "photos"):
        super().__init__(request)
        self.field_name = field_name
        self.count = 0
        self.too_big: list[int] = []  # 1-based positions of the refused files

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if field_name != self.field_name:
            raise SkipFile()
        self.count += 1
        if self.count > settings.GOROD_MAX_PHOTOS:
            raise SkipFile()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.GOROD_PHOTO_MAX_BYTES:
            self.too_big.append(self.count)
            raise SkipFile()
        return raw_data  # the next handler (memory or temporary file) keeps it

    def file_complete(self, file_size):
        return None

    def errors(self) -> list[str]:
        messages = []
        if self.count > settings.GOROD_MAX_PHOTOS:
            messages.append(
                gettext("You chose %(count)d photos; at most %(max)d can be attached.")
                % {"count": self.count, "max": settings.GOROD_MAX_PHOTOS}
            )
        for position in self.too_big:
            messages.append(
                gettext("Photo %(n)d is larger than %(mb)d MB.")
                % {"n": position, "mb": settings.GOROD_PHOTO_MAX_BYTES >> 20}
            )
        return messages
