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


def test_the_main_forms_and_back_office_screens_have_contextual_help():
    files = {path for path, _target in _uses()}
    for needed in (
        "templates/reports/form.html",
        "templates/budgeting/ballot.html",
        "templates/privacy/account.html",
        "templates/privacy/erase.html",
        "templates/backoffice/queue.html",
        "templates/backoffice/moderation.html",
        "templates/backoffice/report.html",
        "templates/backoffice/audit.html",
    ):
        assert needed in files, needed


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
