"""Views parse input, call one service or selector, render: no view writes to the database.

Every module `<app>/views.py` and `<app>/views/*.py` is read with `ast`; a call to a method that
writes (`.save(`, `.create(`, `.delete(`, `.update(`…) fails the test, unless the call carries a
comment `# view writes: <why>`. `form.save(commit=False)` builds an instance for a service and
writes nothing: it is allowed.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRITES = {
    "save",
    "create",
    "delete",
    "update",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "create_user",
    "create_superuser",
    "save_m2m",
}
EXCUSE = "# view writes:"


def view_modules():
    modules = {*ROOT.glob("*/views.py"), *ROOT.glob("*/views/*.py")}
    return sorted(path for path in modules if not path.relative_to(ROOT).parts[0].startswith("."))


def _builds_only(call):
    """`form.save(commit=False)`: an unsaved instance, handed to a service."""
    return call.func.attr == "save" and any(
        keyword.arg == "commit"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value is False
        for keyword in call.keywords
    )


def writes_in(source):
    """(line, code) of the calls in `source` that write and say nothing about why."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITES or _builds_only(node):
            continue
        span = lines[node.lineno - 1 : node.end_lineno]
        if any(EXCUSE in line for line in span):
            continue
        found.append((node.lineno, lines[node.lineno - 1].strip()))
    return sorted(found)


def test_every_view_module_is_read():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {
        "accounts/views.py",
        "agenda/views/events.py",
        "agenda/views/attendance.py",
        "coordinators/views/lists.py",
        "learning/views/offers.py",
        "notifications/views.py",
        "promosante/views.py",
    } <= names


@pytest.mark.parametrize("path", view_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_views_do_not_write_to_the_database(path):
    writes = writes_in(path.read_text(encoding="utf-8"))
    assert not writes, (
        f"{path.relative_to(ROOT)} writes to the database: move these writes into a service of "
        f"the app that owns the data, or say why one must stay with `{EXCUSE} <why>`: {writes}"
    )


SAMPLE = """
def view(request):
    form.save()
    rule = ReminderRule.objects.create(kind="webinar")
    feed, _ = CalendarFeed.objects.get_or_create(user=request.user)
    item.delete()
    Delivery.objects.filter(pk=1).update(status="due")
    context.update(lines=[])
    Topic.objects.bulk_create([])
    User.objects.create_user(email="a@exemple.fr")
    Preference.objects.update_or_create(user=request.user)
    offer = form.save(commit=False)
    services.offer_save(offer=offer)
    step.save(update_fields=["is_active"])  # view writes: kept for this sample
    Event.objects.create(  # view writes: on the call's first line
        title="x",
    )
    Event.objects.create(
        title="y",
    )
"""


def test_the_check_finds_every_kind_of_write_and_only_those():
    assert [line for line, _code in writes_in(SAMPLE)] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 18]
