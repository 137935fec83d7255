"""`{% help_link "slug#anchor" %}`: a small "?" link from a form or a back-office screen to the section of the
help centre that explains it, labelled in the reader's language. tests/info/test_help_links.py checks that
every target used in the templates exists, so renaming a heading's anchor fails CI instead of a link."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def help_link(target: str) -> str:
    slug, _sep, anchor = target.partition("#")
    url = reverse("info:help-page", args=[slug]) + (f"#{anchor}" if anchor else "")
    return format_html(
        '<a class="help-link" href="{}"><span aria-hidden="true">?</span> {}</a>', url, _("Help")
    )
