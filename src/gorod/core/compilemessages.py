"""Build .mo files from the committed .po files with polib, so no GNU gettext is needed at install."""

from pathlib import Path

import polib


def main() -> None:
    # The project's catalogue and each app's own (src/gorod/<app>/locale, found by Django per app).
    package = Path(__file__).resolve().parent.parent
    for po_path in package.glob("**/locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


if __name__ == "__main__":
    main()
