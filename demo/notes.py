"""The demo's experience notes."""


def seed_notes():
    """Idempotent. Returns the figures `seed_demo` prints."""
    return {}
