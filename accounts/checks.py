"""Every permission a page names exists in the one table of `accounts.access`."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.urls import get_resolver

from core.permissions import DECLARED

from .access import PERMISSIONS


@register(Tags.urls)
def permissions_declared(app_configs, **kwargs):
    get_resolver(settings.ROOT_URLCONF).url_patterns  # noqa: B018 - imports every view
    return [
        Error(
            f"The permission « {name} » named by a view is not in accounts.access.PERMISSIONS.",
            id="accounts.E001",
        )
        for name in sorted(DECLARED - PERMISSIONS.keys())
    ]
