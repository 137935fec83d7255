"""The help centre's guides: Markdown files in info/help/<language>/<slug>.md, rendered and sanitized once per
process (they change only with a deploy).

A heading gets its anchor from an explicit `{#anchor}` at its end, the same in both languages, so a
contextual link (`{% help_link "slug#anchor" %}`) points at the same section whatever language the reader
chose; a heading without one gets an anchor from its text. The rendered HTML goes through nh3 although the
guides are ours: the same renderer will serve residents' stories, which are not.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

HELP_ROOT = Path(__file__).resolve().parent / "help"
LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
# A slug is checked against this before any file is touched: no dots, no slashes, so no path traversal.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EXPLICIT_ANCHOR = re.compile(r"\s*\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}\s*$")

# The index, by audience: (section, ((audience, slugs), ...)). A section is a heading of /help/, an audience
# a group under it (a role, or everyone in the section); info/views.py names both. A guide file not listed
# here is still served, and a test makes sure every file is listed.
SECTIONS: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    (
        "residents",
        (
            (
                "residents",
                ("reporting", "budgeting", "projects", "news", "signing-in", "privacy", "quick-resident"),
            ),
        ),
    ),
    (
        "staff",
        (
            ("all-staff", ("backoffice", "dashboards", "sandbox")),
            ("moderators", ("moderator", "quick-moderator")),
            ("departments", ("department", "quick-department")),
            ("editors", ("editor", "quick-editor")),
            ("consultations", ("consultations",)),
            ("auditors", ("auditor", "quick-auditor")),
            ("admins", ("admin", "quick-admin")),
        ),
    ),
    ("experts", (("experts", ("expert", "quick-expert")),)),
)


def listed_slugs() -> list[str]:
    """Every slug the index lists, in its order."""
    return [slug for _section, audiences in SECTIONS for _audience, slugs in audiences for slug in slugs]


_TAGS = {
    "h1", "h2", "h3", "h4", "p", "a", "ul", "ol", "li", "strong", "em", "code", "pre", "kbd", "blockquote",
    "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "a": {"href"}, "th": {"scope"}}


@dataclass(frozen=True)
class Guide:
    slug: str
    language: str
    title: str
    html: str
    anchors: frozenset[str]


def _slugify(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "section"


def _anchor_headings(tokens: list[Token]) -> tuple[str, set[str]]:
    """Give each heading an id (stripping the `{#anchor}` marker); return the first h1's text and the ids."""
    title, anchors = "", set()
    for opening, inline in itertools.pairwise(tokens):
        if opening.type != "heading_open" or inline.type != "inline":
            continue
        match = _EXPLICIT_ANCHOR.search(inline.content)
        if match:
            inline.content = inline.content[: match.start()]
            last = inline.children[-1] if inline.children else None
            if last is not None and last.type == "text":
                last.content = _EXPLICIT_ANCHOR.sub("", last.content)
            anchor = match.group(1)
        elif opening.tag == "h1":
            anchor = ""  # the page's title: the top of the page is its anchor
        else:
            anchor = _slugify(inline.content)
        if opening.tag == "h1" and not title:
            title = inline.content.strip()
        if not anchor:
            continue
        while anchor in anchors:
            anchor += "-1"
        anchors.add(anchor)
        opening.attrSet("id", anchor)
    return title, anchors


def render_markdown(text: str) -> tuple[str, str, frozenset[str]]:
    """Markdown → (sanitized HTML, title, heading anchors). Raw HTML in the source is escaped, then nh3
    removes whatever could still be dangerous (javascript: links, event handlers)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(text)
    title, anchors = _anchor_headings(tokens)
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"})
    return clean, title, frozenset(anchors)


def available_slugs(language: str = DEFAULT_LANGUAGE) -> frozenset[str]:
    return _slugs(language) if language in LANGUAGES else frozenset()


@cache
def _slugs(language: str) -> frozenset[str]:
    return frozenset(p.stem for p in (HELP_ROOT / language).glob("*.md") if SLUG_RE.match(p.stem))


def load_guide(slug: str, language: str) -> Guide | None:
    """The rendered guide, or None for an unknown slug. An unknown language falls back to Russian."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    if not SLUG_RE.match(slug) or slug not in available_slugs(language):
        return None
    return _rendered(slug, language)


@cache
def _rendered(slug: str, language: str) -> Guide:
    # Cached per process; only slugs that exist on disk get here, so hostile URLs cannot grow the cache.
    text = (HELP_ROOT / language / f"{slug}.md").read_text(encoding="utf-8")
    html, title, anchors = render_markdown(text)
    return Guide(slug=slug, language=language, title=title or slug, html=html, anchors=anchors)
