"""A tiny hand-written PDF (one page per list of lines, Helvetica, Latin-1 text), so the demo's documents
are made here and never downloaded. Enough for pdfium to render; not a general PDF writer."""

from __future__ import annotations


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], *, width: int = 595, height: int = 842) -> bytes:
    """A4 pages (points) with the given lines; the first line of a page is set large, as its heading."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for index, lines in enumerate(pages):
        ops = ["BT", "/F1 22 Tf", f"56 {height - 80} Td"]
        for n, line in enumerate(lines):
            if n == 1:
                ops += ["/F1 12 Tf", "0 -34 Td"]
            elif n > 1:
                ops.append("0 -18 Td")
            ops.append(f"({_escape(line)}) Tj")
        ops.append("ET")
        # A frame and a box: a page image that is visibly a plan, not a blank sheet.
        ops += [
            "0.07 0.2 0.42 RG 2 w",
            f"40 40 {width - 80} {height - 80} re S",
            f"120 160 {width - 240} 260 re S",
        ]
        stream = "\n".join(ops).encode("latin-1", "replace")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_ids[index] + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
