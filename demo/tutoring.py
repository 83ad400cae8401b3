"""The demo's tutoring pairs (requested, active, ended)."""


def seed_tutoring():
    """Idempotent. Returns the figures `seed_demo` prints."""
    return {}
