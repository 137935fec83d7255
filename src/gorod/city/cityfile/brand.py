"""The logo of a city file's `brand`: read from beside the city file and re-encoded through core.images
while the file is checked, so that a logo Gorod cannot show refuses the file with its line like any other
problem, and the import only stores bytes that are already clean."""

from __future__ import annotations

from pathlib import Path

from gorod.city.cityfile.problems import Problems
from gorod.core.images import PhotoRejected, clean_logo

_AT = ("municipality", "brand", "logo")
# Far above any sensible logo; read no further than this from a file the administrator named.
MAX_LOGO_BYTES = 2 << 20


def clean_logo_of(data: object, folder: Path | None, problems: Problems) -> bytes | None:
    """The cleaned PNG of the logo the file names, None without one (or with a problem added)."""
    municipality = data.get("municipality") if isinstance(data, dict) else None
    brand = municipality.get("brand") if isinstance(municipality, dict) else None
    name = brand.get("logo") if isinstance(brand, dict) else None
    if not isinstance(name, str) or not name.strip():
        return None
    if folder is None:
        problems.add(_AT, "logo_unreadable", reason="the city file was given as text, not as a file")
        return None
    path = folder / name.strip()
    try:
        # Not beyond the city file's folder, even through a symbolic link.
        if not path.resolve().is_relative_to(folder.resolve()):
            problems.add(_AT, "logo_path", value=name)
            return None
        with path.open("rb") as fh:
            raw = fh.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        problems.add(_AT, "logo_unreadable", reason=exc.strerror or exc.__class__.__name__)
        return None
    if len(raw) > MAX_LOGO_BYTES:
        problems.add(_AT, "logo_image", reason=f"larger than {MAX_LOGO_BYTES >> 20} MB")
        return None
    try:
        return clean_logo(raw)
    except PhotoRejected as exc:
        problems.add(_AT, "logo_image", reason=str(exc))
        return None
