"""The news board (issue #13): about 20 posts by the team and partners, pinned and expired ones."""


def seed_news():
    """Idempotent; returns the figures `seed_demo` prints."""
    return {}
