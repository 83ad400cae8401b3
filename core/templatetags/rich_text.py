"""Markdown written by staff and partners, rendered then sanitised (no script, no style)."""

import html as html_module

import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


@register.filter
def markdown(text):
    html = md.markdown(text or "", extensions=["extra", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


@register.filter
def markdown_text(text):
    """The words of the Markdown `text`, without its marks or any HTML (scripts dropped with
    their content): for an excerpt. Plain text, escaped by the template as any other."""
    html = md.markdown(text or "", extensions=["extra", "sane_lists"])
    return " ".join(html_module.unescape(nh3.clean(html, tags=set())).split())
