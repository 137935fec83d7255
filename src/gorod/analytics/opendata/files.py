"""Writing one dataset file in bounded memory: rows come from an iterator and go straight to a temporary
file in the same directory, which replaces the published file by an atomic rename only once complete, so
a reader never sees half a file and a crash leaves the previous day's file in place."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

# The guard moved down to core so consultations can use it too; imported here for the callers of files.
from gorod.core.spreadsheet import FORMULA_STARTS, safe_cell  # noqa: F401


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[str]]:
    """A text file that appears at `path` only when the block ends without an error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> int:
    """UTF-8 without a byte-order mark (see docs/open-data.md); returns the number of data rows."""
    n = 0
    with atomic_file(path) as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
            n += 1
    return n


def write_json_array(path: Path, head: dict[str, Any], key: str, items: Iterable[Any]) -> int:
    """A JSON object `head` with one more member `key`: an array written item by item."""
    n = 0
    with atomic_file(path) as out:
        opening = json.dumps(head, ensure_ascii=False)[:-1]
        out.write(opening + ("," if head else "") + json.dumps(key) + ":[")
        for item in items:
            out.write(("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False, separators=(",", ":")))
            n += 1
        out.write("\n]}\n")
    return n


def write_text(path: Path, text: str) -> None:
    with atomic_file(path) as out:
        out.write(text)
