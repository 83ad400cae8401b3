"""Packs for elected officials and managers (issue #13), and links coordinators shared."""


def seed_packs():
    """Idempotent; returns the figures `seed_demo` prints."""
    return {}
