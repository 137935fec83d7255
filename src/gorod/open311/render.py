"""Open311 output: one Python structure (dicts, lists, scalars) rendered as JSON or as XML.

JSON follows the spec's Spark mapping: the XML root is dropped, a repeated element becomes an array. XML is
written by hand, not through a DOM, because a 1000-request list must render in a few milliseconds; every
text value goes through `_text` (escaping) so hostile input stays text."""

from __future__ import annotations

import datetime as dt
import json
import re
from xml.sax.saxutils import escape

import orjson
from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element name of one item of a list, by the list's own element name (the rest drop a final "s").
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "service_requests_updates": "request_update",
    "errors": "error",
}

# Characters XML 1.0 cannot carry at all, even as references. Stripped from user text before rendering
# so that the JSON and the XML of a response say the same thing.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same, as UTF-8 bytes: a safety net over the whole XML document for text that was not cleaned (a
# name typed in the admin, say). In UTF-8 a byte below 0x20 is always that ASCII character itself.
_NOT_XML_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NOT_XML_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")  # U+FFFE, U+FFFF
# A bare CR would be folded into LF by any XML parser; as a reference it survives.
_XML_ENTITIES = {"\r": "&#13;"}


class Open311Error(Exception):
    """A refusal in the spec's terms: an HTTP status and a list of (code, description)."""

    def __init__(self, status: int, *descriptions: str, retry_after: int | None = None) -> None:
        super().__init__(status, descriptions)
        self.status = status
        self.descriptions = descriptions
        self.retry_after = retry_after  # seconds, for a 429


def clean_text(value: str | None) -> str | None:
    """User-written text made safe for both formats (only strips what XML cannot hold)."""
    if not value:
        return value
    return NOT_XML.sub("", value) if NOT_XML.search(value) else value


def w3c(value: dt.datetime | None, tz: dt.tzinfo) -> str | None:
    """ISO 8601 with the offset, whole seconds, in the municipality's time zone."""
    if value is None:
        return None
    return value.astimezone(tz).isoformat(timespec="seconds")


def respond(fmt: str, root: str, data: object, status: int = 200) -> HttpResponse:
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["json"]))


def error_response(fmt: str, error: Open311Error) -> HttpResponse:
    # Descriptions may quote what the client sent; clean it like any user text.
    items = [{"code": error.status, "description": clean_text(d)} for d in error.descriptions]
    # A bad format suffix is itself the error: answer it in JSON.
    response = respond(fmt if fmt in FORMATS else "json", "errors", items, error.status)
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


# --- JSON ------------------------------------------------------------------------------------------
def to_json(data: object) -> bytes:
    """Compact UTF-8 JSON, with <, >, & and U+2028/2029 escaped.

    orjson, not the standard library: encoding a list of 100 requests took 0.43 ms with `json.dumps`,
    a fifth of the answer's CPU beside the raw floor (docs/decisions.md, "Lean requests, third pass");
    tests compare the two on hostile text. What orjson refuses (a lone surrogate a client sent, an
    integer past 64 bits) goes the standard library's way."""
    try:
        body = orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")
    # <, > and & occur only inside strings here; escaping them keeps the body inert if a client ever
    # pastes it into HTML. U+2028/2029 break JavaScript string literals.
    for raw, escaped in _JSON_ESCAPES:
        if raw in body:
            body = body.replace(raw, escaped)
    return body


_JSON_ESCAPES = tuple(
    (char.encode(), f"\\u{ord(char):04x}".encode()) for char in ("&", "<", ">", "\u2028", "\u2029")
)


# --- XML -------------------------------------------------------------------------------------------
def to_xml(root: str, data: object) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _element(out, root, data)
    body = "".join(out).encode("utf-8", "replace").translate(None, _NOT_XML_BYTES)  # ~0.5 ms a megabyte
    for sequence in _NOT_XML_NONCHARACTERS:
        if sequence in body:
            body = body.replace(sequence, b"")
    return body


def _text(value: object) -> str:
    if isinstance(value, str):
        if "&" in value or "<" in value or ">" in value or "\r" in value:
            return escape(value, _XML_ENTITIES)
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    return repr(value) if isinstance(value, float) else str(value)


def _element(out: list[str], tag: str, value: object) -> None:
    kind = type(value)
    if value is None:
        out.append(f"<{tag}/>")
    elif kind is dict:
        out.append(f"<{tag}>")
        for key, item in value.items():  # type: ignore[attr-defined]
            # The hot path (a flat request row) is inlined: one call per row, not one per field.
            if type(item) is str and not ("&" in item or "<" in item or ">" in item or "\r" in item):
                out.append(f"<{key}>{item}</{key}>")
            elif item is None:
                out.append(f"<{key}/>")
            elif type(item) in (dict, list, tuple):
                _element(out, key, item)
            else:
                out.append(f"<{key}>{_text(item)}</{key}>")
        out.append(f"</{tag}>")
    elif kind is list or kind is tuple:
        item_tag = ITEM_TAGS.get(tag) or (tag[:-1] if tag.endswith("s") else "item")
        out.append(f"<{tag}>")
        for item in value:  # type: ignore[attr-defined]
            _element(out, item_tag, item)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{_text(value)}</{tag}>")
