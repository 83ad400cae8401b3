"""Each page names the permission it needs: no catch-all. `manage.view` opens the /gestion/
index only; each page of the back-office has its own permission, held by exactly the roles
that had access before they were named."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.access import ACCOUNT_MENU, MEMBERS, PERMISSIONS, TEAM, Role
from tests.factories import UserFactory
from tests.helpers import login

PROJECT_APPS = (
    "accounts",
    "agenda",
    "competencies",
    "coordinators",
    "learning",
    "notifications",
    "promosante",
    "resources",
)


def pages(patterns=None, namespace=""):
    """(URL name with its namespace, view) of every named route of the project's apps."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from pages(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view = pattern.callback
            if view.__module__.split(".")[0] in PROJECT_APPS:
                yield ":".join(filter(None, [namespace, pattern.name])), view


PAGES = dict(pages())

# Pages whose catch-all permission was replaced by one that names what they do.
NAMED = {
    "manage:index": "manage.view",
    "manage:lists": "lists.edit",
    "notifications:rules": "notifications.rules",
    "notifications:rule_action": "notifications.rules",
    "notifications:sequences": "notifications.sequences",
    "notifications:sequence": "notifications.sequences",
    "notifications:sequence_create": "notifications.sequences",
    "notifications:sequence_edit": "notifications.sequences",
    "notifications:step_create": "notifications.sequences",
    "notifications:step_edit": "notifications.sequences",
    "notifications:step_toggle": "notifications.sequences",
    "imports:index": "register.import",
    "imports:confirm": "register.import",
    "imports:export": "register.export",
    "attendance_check_in": "attendance.manage",
    "attendance_mark": "attendance.manage",
    "attendance_import": "attendance.manage",
    "attendance_import_check": "attendance.manage",
    "attendance_import_confirm": "attendance.manage",
    "event_create": "events.publish",
    "event_edit": "events.publish",
    "event_cancel": "events.publish",
    "guest_invite": "events.invite_guests",
    "offer_create": "offers.publish",
    "offer_edit": "offers.publish",
    "offer_retire": "offers.publish",
    "offer_reactivate": "offers.publish",
    "competencies": "competencies.view",
}


@pytest.mark.parametrize(("url_name", "permission"), NAMED.items())
def test_the_page_names_its_permission(url_name, permission):
    assert PAGES[url_name].permission == permission


def test_every_page_names_a_permission_or_is_public():
    unnamed = [
        name
        for name, view in PAGES.items()
        if not hasattr(view, "permission") and getattr(view, "login_required", True)
    ]
    assert unnamed == []


def test_manage_view_opens_the_back_office_index_only():
    assert [n for n, v in PAGES.items() if getattr(v, "permission", "") == "manage.view"] == [
        "manage:index"
    ]


@pytest.mark.parametrize(
    ("permission", "roles"),
    [
        ("manage.view", TEAM),
        ("lists.edit", TEAM),
        ("notifications.rules", TEAM),
        ("notifications.sequences", TEAM),
        ("register.import", TEAM),
        ("register.export", TEAM),
        # Pages whose object is checked on top (the organiser's events and offers, the
        # registered people's guests): the roles that could reach them before.
        ("events.publish", TEAM | {Role.PARTNER}),
        # An organising CRPV or ARS DD now manages its events' attendance (issue 11 #3).
        ("attendance.manage", TEAM | {Role.PARTNER}),
        ("offers.publish", TEAM | {Role.PARTNER}),
        ("events.invite_guests", MEMBERS),
        ("competencies.view", MEMBERS),
    ],
)
def test_named_permissions_keep_the_roles_that_had_access(permission, roles):
    assert PERMISSIONS[permission] == roles


@pytest.mark.django_db
def test_the_account_menu_offers_only_what_the_person_may_open(client):
    no_role = UserFactory()
    login(client, no_role)
    html = client.get(reverse("profile")).content.decode()
    for label, name, permission in ACCOUNT_MENU:
        shown = f'href="{reverse(name)}">{label}</a>' in html
        assert shown == (Role.NONE in PERMISSIONS[permission]), label
