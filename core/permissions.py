"""The view decorator of the one permission mechanism.

`accounts.access` computes what a user may do (roles, territory, the PERMISSIONS table) and the
middleware puts it on `request.access`; every view names the permission it needs with
`@requires("…")`. The decorator lives on the ground floor so that every app, the notifications
engine included, declares its pages the same way. Every name used is recorded in `DECLARED`;
`accounts` checks at start-up that each one is in its table.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

DECLARED: set[str] = set()


def requires(permission):
    """View decorator: 403 unless the request's user holds `permission`."""
    DECLARED.add(permission)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.access.can(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator
