"""A story's Markdown as safe HTML: markdown-it-py with raw HTML off (so `<script>` arrives as text), then
nh3 with a short list of tags for prose. No headings (the page has its own), no images (photos go through
the photo pipeline, never a hot-linked URL), links only to http(s) and mailto, marked rel="nofollow ugc"
because a resident, not the city, chose them."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_TAGS = {"p", "a", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "hr", "br"}
_ATTRIBUTES = {"a": {"href"}}
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def render_story(text: str) -> str:
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
