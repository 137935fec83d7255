"""Every `{% help_link "slug#anchor" %}` in the templates points at a guide and a section that exist in both
languages: renaming a heading's anchor fails here, not in front of a resident."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from gorod.info.guides import LANGUAGES, load_guide

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "gorod"
HELP_LINK = re.compile(r"""\{%\s*help_link\s+["']([^"']+)["']\s*%\}""")


def _uses() -> list[tuple[str, str]]:
    found = []
    for path in sorted(TEMPLATES.glob("**/templates/**/*.html")):
        for target in HELP_LINK.findall(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(TEMPLATES)), target))
    return found


# A template needs a contextual help link when it is a back-office screen (under backoffice/ or on the
# back office's layout), a staff page outside it (STAFF_PAGES), or a page with a form that sends something
# (POST). Exceptions are only for pieces that are not a page on their own, each with the reason.
POST_FORM = re.compile(r"""method\s*=\s*["']?post|hx-post""", re.IGNORECASE)
BACKOFFICE_LAYOUT = re.compile(r"""\{%\s*extends\s+["']backoffice/layout\.html["']""")
STAFF_PAGES = {
    "templates/analytics/stats.html": "also /backoffice/stats/, the staff dashboard",
    "templates/budgeting/reviews.html": "an invited expert's desk",
}
EXCEPTIONS = {
    "templates/base.html": "the layout of every page; its only form is the language switch",
    "templates/backoffice/layout.html": "the back-office layout; each screen has its own link",
    "templates/backoffice/_left.html": "the working days left badge, included in queues and report pages",
    "templates/backoffice/_pages.html": "pagination included in the queues",
    "templates/backoffice/_quick_moderation.html": "the moderation bar included in backoffice/report.html",
    "templates/backoffice/projects/_ban_form.html": "included in backoffice/projects/moderation.html",
    "templates/backoffice/projects/_fields.html": "the project fields included in new.html and manage.html",
    "templates/consultations/_contribution_tools.html": "flag/hide buttons included in every module page",
    "templates/consultations/map_feedback/_contribution.html": "one contribution, included in module.html",
    "templates/notifications/_follow_button.html": "the follow button included in report and list pages",
}


def _templates() -> dict[str, str]:
    return {
        str(path.relative_to(TEMPLATES)): path.read_text(encoding="utf-8")
        for path in sorted(TEMPLATES.glob("**/templates/**/*.html"))
    }


def _needs_help(path: str, text: str) -> bool:
    return (
        "/backoffice/" in f"/{path}"
        or BACKOFFICE_LAYOUT.search(text) is not None
        or path in STAFF_PAGES
        or POST_FORM.search(text) is not None
    )


def test_every_form_and_staff_screen_has_contextual_help():
    templates = _templates()
    missing = [
        path
        for path, text in templates.items()
        if _needs_help(path, text) and path not in EXCEPTIONS and not HELP_LINK.search(text)
    ]
    assert missing == [], f'add {{% help_link "guide#section" %}} near the heading of: {missing}'


def test_the_exceptions_are_fragments_still_in_use():
    templates = _templates()
    for path, reason in EXCEPTIONS.items():
        assert path in templates, f"{path} is gone: remove its exception"
        assert _needs_help(path, templates[path]), f"{path} needs no link any more: remove its exception"
        name = Path(path).name
        assert name.startswith("_") or name in ("base.html", "layout.html"), f"{path} is a page: {reason}?"
    for path in STAFF_PAGES:
        assert path in templates, path


def test_the_rule_catches_a_new_screen_without_help():
    assert _needs_help("templates/backoffice/new_desk.html", "<h1>Desk</h1>")
    assert _needs_help("templates/info/thing.html", '{% extends "backoffice/layout.html" %}')
    assert _needs_help("templates/x/form.html", '<form method="post">')
    assert _needs_help("templates/x/form.html", "<button hx-post='/x/'>")
    assert not _needs_help("templates/x/list.html", '<form method="get">')


@pytest.mark.parametrize(("path", "target"), _uses())
def test_every_help_link_target_exists(path, target):
    slug, _sep, anchor = target.partition("#")
    for language in LANGUAGES:
        guide = load_guide(slug, language)
        assert guide is not None, f"{path}: no guide {slug!r} in {language}"
        if anchor:
            assert anchor in guide.anchors, f"{path}: no section #{anchor} in {slug} ({language})"


def test_the_tag_renders_a_labelled_link_in_the_readers_language():
    template = Template('{% load help %}{% help_link "moderator#keyboard" %}')
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("ru"):
        russian = template.render(Context())
    assert 'href="/help/moderator/#keyboard"' in english
    assert "Help" in english and "Справка" in russian
