"""The demo's tests share one seeding per module: seeding takes seconds, a module's tests read it.

The seeding is written in a transaction kept open for the module; each test runs in a savepoint
of it (pytest-django's `db`), so it sees the demo exactly as seeding left it, whatever the test
before changed, and everything is rolled back once the module is done.
"""

import time
from contextlib import contextmanager

import pytest
from django.db import transaction

from demo.register import seed_register
from demo.seed import seed_accounts, seed_demo, seed_organisations


@contextmanager
def _kept_for_the_module(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker):
    """The figures of `seed_demo`, run once for the module."""
    with _kept_for_the_module(django_db_blocker):
        yield seed_demo()


@pytest.fixture(scope="module")
def register_seeded(django_db_setup, django_db_blocker):
    """As `seed_demo` runs it: the demo accounts first, then the register, once for the module.
    The figures of `seed_register` and how long it took."""
    with _kept_for_the_module(django_db_blocker):
        seed_accounts(seed_organisations())
        started = time.perf_counter()
        counts = seed_register()
        yield counts, time.perf_counter() - started
