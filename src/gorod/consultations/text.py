"""Markdown written by staff (descriptions, updates, the final report) → safe HTML. Raw HTML in the source
is escaped by the parser, then nh3 keeps only a short list of tags and http(s)/mailto links, so a pasted
<script>, an onerror= or a javascript: link never reaches a page. The help centre (info.guides) renders its
guides the same way; consultations sits below info and cannot import it."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_md = MarkdownIt("commonmark", {"html": False}).enable("table")


def render(text: str) -> SafeString:
    # Headings start at h2: the page's own title is the only h1.
    html = _md.render(text or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized just above
