"""The help centre: every guide renders in both languages with the same sections; bad slugs are 404."""

from __future__ import annotations

import pytest

from gorod.accounts.models import User
from gorod.info.guides import (
    HELP_ROOT,
    LANGUAGES,
    SECTIONS,
    available_slugs,
    listed_slugs,
    load_guide,
    render_markdown,
)
from gorod.info.views import HEADINGS


def _explicit_anchors(slug: str, language: str) -> frozenset[str]:
    guide = load_guide(slug, language)
    assert guide is not None, (slug, language)
    return guide.anchors


# The guide (and printable quick guide) of each role of accounts.User.Role; residents are "citizen". News
# editing is a job of moderators and administrators, not a role, and has its own guides too.
ROLE_GUIDES = {
    User.Role.CITIZEN: "resident",
    User.Role.MODERATOR: "moderator",
    User.Role.EXECUTOR: "department",
    User.Role.DEPARTMENT_HEAD: "department",
    User.Role.CITY_ADMIN: "admin",
    User.Role.AUDITOR: "auditor",
    User.Role.EXPERT: "expert",
}
JOB_GUIDES = ("editor",)


def test_both_languages_have_the_same_guides_and_the_index_lists_them_all():
    ru, en = available_slugs("ru"), available_slugs("en")
    assert ru == en
    listed = listed_slugs()
    assert sorted(listed) == sorted(ru), "every guide file is listed once on /help/"
    # A guide outside a language folder is never served: an editor would change a copy nobody reads.
    assert not list(HELP_ROOT.glob("*.md")), "guides live in help/ru/ and help/en/"
    for section, audiences in SECTIONS:
        assert section in HEADINGS and all(audience in HEADINGS for audience, _slugs in audiences)


def test_every_role_has_a_guide_and_a_printable_quick_guide():
    # A new role in accounts fails here until it has its guides (or is mapped to an existing one).
    assert set(ROLE_GUIDES) == set(User.Role), "map the new role to its guide in ROLE_GUIDES"
    for name in (*ROLE_GUIDES.values(), *JOB_GUIDES):
        assert f"quick-{name}" in available_slugs("ru"), name
        if name != "resident":  # residents have several guides, by service
            assert name in available_slugs("ru"), name


@pytest.mark.parametrize("slug", sorted(available_slugs("ru")))
def test_each_guide_has_a_title_and_the_same_sections_in_both_languages(slug):
    anchors = {language: _explicit_anchors(slug, language) for language in LANGUAGES}
    assert anchors["ru"] == anchors["en"], slug
    assert anchors["ru"], f"{slug} has no sections to link to"
    for language in LANGUAGES:
        guide = load_guide(slug, language)
        assert guide.title and guide.title != slug
        assert "{#" not in guide.html, "an anchor marker was left in the text"


def test_unknown_or_hostile_slugs_find_nothing():
    for slug in ("nope", "../settings", "..", "reporting.md", "REPORTING", "a/b", "", "reporting/../admin"):
        assert load_guide(slug, "ru") is None, slug
    assert load_guide("reporting", "de").language == "ru"  # an unknown language falls back to Russian


def test_hostile_urls_do_not_grow_the_cache():
    from gorod.info import guides

    load_guide("reporting", "ru")
    before = guides._rendered.cache_info().currsize
    for n in range(50):
        assert load_guide(f"no-such-guide-{n}", "ru") is None
    assert guides._rendered.cache_info().currsize == before


def test_markdown_is_sanitized_even_though_the_guides_are_ours():
    html, title, anchors = render_markdown(
        "# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
        '<img src=x onerror="alert(1)">\n\n## Part {#part}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n'
    )
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html
    # markdown-it already refuses javascript: links; nh3 is the second net (a scheme we do not allow):
    assert 'href="ftp:' not in render_markdown("[f](ftp://example.org/x)")[0]
    assert '<h2 id="part">Part</h2>' in html and "<table>" in html
    assert title == "T" and anchors == frozenset({"part"})


def test_a_heading_marker_that_is_not_an_anchor_stays_text():
    html, _title, anchors = render_markdown('## Odd {#"><script>}\n')
    assert "<script" not in html
    assert anchors == frozenset({"odd-script"}) or all('"' not in a for a in anchors)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_index_guide_and_print_pages_in_both_languages(client, city, language):
    client.cookies["django_language"] = language
    index = client.get("/help/")
    assert index.status_code == 200
    body = index.content.decode()
    for slug in available_slugs(language):
        assert f'href="/help/{slug}/"' in body and f'href="/help/{slug}/print/"' in body
    for slug in available_slugs(language):
        guide = load_guide(slug, language)
        page = client.get(f"/help/{slug}/")
        assert page.status_code == 200
        assert guide.title in page.content.decode()
        printed = client.get(f"/help/{slug}/print/")
        assert printed.status_code == 200
        text = printed.content.decode()
        assert f'<html lang="{language}">' in text and "help-print.css" in text
        assert "site-header" not in text, "the printable page carries no site navigation"


@pytest.mark.django_db
def test_unknown_guides_and_traversal_attempts_are_404_not_500(client, city):
    for url in (
        "/help/nope/",
        "/help/nope/print/",
        "/help/..%2Fsettings/",
        "/help/%2e%2e/",
        "/help/reporting.md/",
        "/help/../urls.py",
        "/help/reporting/../../settings/",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_english_and_russian_pages_differ(client, city):
    client.cookies["django_language"] = "en"
    assert "Reporting a problem" in client.get("/help/reporting/").content.decode()
    client.cookies["django_language"] = "ru"
    assert "Как сообщить о проблеме" in client.get("/help/reporting/").content.decode()


@pytest.mark.django_db
def test_the_help_centre_chrome_is_translated(client, city):
    client.cookies["django_language"] = "ru"
    index = client.get("/help/").content.decode()
    for words in ("Справочный центр", "Для жителей", "Для сотрудников города", "версия для печати"):
        assert words in index
    # Staff guides are grouped by role, each group under its heading.
    for words in ("Модераторам", "Редакторам новостей", "Для внешних экспертов"):
        assert words in index
    assert "Версия для печати" in client.get("/help/privacy/").content.decode()
    printed = client.get("/help/quick-moderator/print/").content.decode()
    assert "Вернуться к руководству" in printed and "Справочный центр «Города»" in printed
