"""Template helpers of the peer network."""

from django import template

register = template.Library()


@register.filter
def can(access, permission):
    """`{% if access|can:"peers.contact" %}`: what `Access.can` says, for a template."""
    return access.can(permission)
