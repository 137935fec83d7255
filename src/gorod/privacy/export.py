"""The data export as a zip file: my-data.json, the photos and the mails it names.

Written to a temporary file, not to memory: a resident with years of reports has hundreds of photos."""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from typing import IO

from gorod.privacy.selectors import Export
from gorod.reports import photo_store

logger = logging.getLogger("gorod.privacy")

JSON_NAME = "my-data.json"


def write_zip(export: Export) -> IO[bytes]:
    """The archive, rewound, in a temporary file that disappears when closed."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it after sending
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(export.data, ensure_ascii=False, indent=2))
        for name, photo in export.photos:
            # A private photo (hidden, rejected report) is under the private root: ask photo_store.
            path = photo_store.path_of(photo)
            try:
                if path is None:
                    raise FileNotFoundError(name)
                with path.open("rb") as source, archive.open(name, "w") as target:
                    # JPEG does not compress further; the files are copied as Gorod keeps them.
                    while chunk := source.read(1 << 16):
                        target.write(chunk)
            except OSError:
                logger.warning("data export: photo %s is missing from storage", photo.pk)
        for name, text in export.mails:
            archive.writestr(name, text)
    out.seek(0)
    return out
