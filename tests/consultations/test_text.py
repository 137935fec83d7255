"""Staff Markdown becomes safe HTML: hostile HTML is shown as text, dangerous links and handlers go."""

from __future__ import annotations

from gorod.consultations.text import render


def test_markdown_renders():
    html = render("# Title\n\nSome **bold** and a [link](https://example.org).")
    assert "<h2>Title</h2>" in html  # the page's h1 is the project's title
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and "nofollow" in html


def test_hostile_html_is_text_and_dangerous_links_are_removed():
    html = render("<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "href" not in html  # the javascript: link stays text, not a link
