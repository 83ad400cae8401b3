"""The navigation bar: which entry the current page belongs to."""

from django import template

register = template.Library()


@register.filter
def section_of(path, url):
    """'page' when `path` is the entry's `url`, 'true' when it lies under it (/entraide/fiches/
    under /entraide/), '' otherwise: the value of `aria-current`. The home ("/") holds only
    itself."""
    if path == url:
        return "page"
    if url != "/" and path.startswith(url):
        return "true"
    return ""
