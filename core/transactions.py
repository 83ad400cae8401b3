"""Requests that may write run in one transaction; reads never open one.

On SQLite (the demo) a write transaction takes the database's one write lock when it begins
(IMMEDIATE: no deadlock between a reader turning writer and another writer). Wrapping every
request in a transaction, as `ATOMIC_REQUESTS` does, would make every page, reads included, wait
for the lock of a slow upload and fail after the busy timeout. So the project wraps each view of
its URL map with `atomic_writes`: GET, HEAD and OPTIONS run in autocommit (WAL lets them read while
a write is in progress); other methods run the view in one transaction, exactly as
`ATOMIC_REQUESTS` does (the view's exception rolls it back before the middleware sees it), on
every database engine alike. A view that must do long work before writing (parsing an upload) is
marked `@transaction.non_atomic_requests` and opens its transaction itself, once the work is done.
"""

from functools import wraps

from django.db import transaction
from django.urls import URLPattern, URLResolver

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def atomic_writes(view):
    if "default" in getattr(view, "_non_atomic_requests", ()) or getattr(
        view, "atomic_writes", False
    ):
        return view

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            return view(request, *args, **kwargs)

    wrapped.atomic_writes = True
    return wrapped


def atomic_writes_everywhere(patterns):
    """Wrap the view of every pattern, through includes (allauth's and the admin's too)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            atomic_writes_everywhere(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = atomic_writes(pattern.callback)
    return patterns
