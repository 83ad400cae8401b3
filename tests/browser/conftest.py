"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live server.

No browser is downloaded: Playwright launches the system Chromium through `executable_path`.
"""

import os
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from demo.seed import DEMO_PASSWORD, seed_demo
from tests.conftest import chromium_path
from tests.snapshot import DatabaseSnapshot

BROWSER_TESTS = Path(__file__).resolve().parent
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
LOGIN_URL = "/accounts/login/"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def is_browser_test(item):
    return item.path.is_relative_to(BROWSER_TESTS)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last (after pytest-django's own ordering).

    Playwright's sync API keeps an asyncio loop running in the main thread from the first browser
    test until the end of the session, and Django refuses sync ORM calls while a loop runs: no
    other test may run in that window.
    """
    items.sort(key=is_browser_test)  # stable: every other order is kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Allow sync ORM calls (seeding, live server flush) during browser tests, and only then.

    Set for the whole session, DJANGO_ALLOW_ASYNC_UNSAFE would fail Django's system checks
    (async.E001), those pytest-django runs and those of `manage.py check --deploy` subprocesses.
    The last browser test's teardown also stops Playwright and the live server: still inside.
    """
    if not is_browser_test(item):
        return (yield)
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        return (yield)
    finally:
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": chromium_path(), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in page.goto() and expect(page).to_have_url() point at the live server.

    Also replaces pytest-playwright's fallback `base_url` fixture, which pytest 9 deprecates.
    """
    return live_server.url


_SEEDED = {}


@pytest.fixture
def demo(live_server):
    """The demo (territories, organisations, accounts, a year of activity), in the live
    server's database.

    `live_server` uses a transactional database, flushed after each test: the first test of the
    session seeds the demo and takes a snapshot of its rows, the next ones restore it.
    """
    if _SEEDED:
        _SEEDED["snapshot"].restore()
        mail.outbox.extend(_SEEDED["sent"])  # what seeding sent (the newcomer's welcome…)
        return _SEEDED["counts"]
    counts = seed_demo()
    snapshot = DatabaseSnapshot()
    snapshot.take()
    _SEEDED.update(counts=counts, snapshot=snapshot, sent=list(mail.outbox))
    return counts


def log_in(page, email, password=DEMO_PASSWORD):
    """Log in through the real login page, as a person would."""
    page.goto(LOGIN_URL)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    expect(page).not_to_have_url(LOGIN_URL)


@pytest.fixture
def login(page, demo):
    """login(email) logs `page` in as a demo account, through the login form, and returns it."""

    def do(email):
        log_in(page, email)
        return page

    return do


@pytest.fixture
def console_errors(page):
    """Errors in the browser console, CSP refusals included."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors
