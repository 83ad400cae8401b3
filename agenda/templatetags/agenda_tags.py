"""How the agenda's pages say seats and ranks, the same on every page."""

from django import template

register = template.Library()


@register.filter
def seats_left(event):
    """Free seats of an event annotated with `seats_taken` (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - (event.seats_taken or 0), 0)


@register.filter
def ordinal(number):
    """French ordinal with superscript letters: 1ʳᵉ, 2ᵉ, 3ᵉ (a rank on a waitlist)."""
    if number is None:
        return ""
    return f"{number}ʳᵉ" if number == 1 else f"{number}ᵉ"
