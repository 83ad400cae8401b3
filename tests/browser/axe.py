"""Accessibility checks shared by the browser tests (axe-core, shipped by axe-playwright-python)."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

BLOCKING_IMPACTS = {"serious", "critical"}


def describe(violations):
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}" for node in v["nodes"])
        for v in violations
    )


def assert_no_serious_violation(page):
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core violations on {page.url}:\n{describe(blocking)}"


def open_and_check(page, login, console_errors, *, email, path, then=None):
    """Open `path` (as `email`, or as a visitor), do `then` on it, and check what every page
    owes: a level-1 heading, no serious or critical axe violation, no console error."""
    if email:
        login(email)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if then:
        then(page)
    assert_no_serious_violation(page)
    assert console_errors == [], "browser console errors (a CSP refusal?)"
