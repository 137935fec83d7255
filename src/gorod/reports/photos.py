"""Uploaded images are hostile until re-encoded: open with Pillow under size and pixel limits, apply the
EXIF orientation, then write a fresh JPEG with no metadata at all (no EXIF, GPS, XMP, ICC, comments)."""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError


class PhotoRejected(ValueError):
    pass


def clean_photo(data: bytes) -> ContentFile:
    """Return a re-encoded JPEG of at most GOROD_PHOTO_MAX_SIDE px a side, or raise PhotoRejected."""
    if len(data) > settings.GOROD_PHOTO_MAX_BYTES:
        raise PhotoRejected(
            _("The photo is larger than %(mb)d MB.") % {"mb": settings.GOROD_PHOTO_MAX_BYTES >> 20}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in {"JPEG", "PNG", "WEBP", "GIF", "MPO"}:
                    raise PhotoRejected(_("Only JPEG, PNG, WebP and GIF photos are accepted."))
                if probe.width * probe.height > settings.GOROD_PHOTO_MAX_PIXELS:
                    raise PhotoRejected(_("The photo has too many pixels."))
                probe.seek(0)
                probe.load()
                image = ImageOps.exif_transpose(probe)
                image = image.convert("RGB")
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoRejected(_("This file is not a photo we can read.")) from exc
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or malformed image data
        raise PhotoRejected(_("This file is not a photo we can read.")) from exc
    side = settings.GOROD_PHOTO_MAX_SIDE
    if image.width > side or image.height > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    # A new image with only the pixels: nothing of the original's info dict can follow it.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")
