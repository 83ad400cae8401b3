"""The demo's questions between peers, with answers."""


def seed_questions():
    """Idempotent. Returns the figures `seed_demo` prints."""
    return {}
