import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.core.cache import cache

from accounts.models import Organisation
from agenda.reminders import rules_seed_defaults
from notifications.models import ReminderRule
from territories.loader import load_territories
from territories.models import Department

from .factories import (
    CoordinatorProfileFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    promosante_organisation,
)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason):
    """A missing service skips the test on a laptop; in CI, nothing may be skipped."""
    if IN_CI:
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        skip_or_fail("REDIS_URL is not set: Redis tests need a Redis server")
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2).close()
    except OSError:
        skip_or_fail(f"no Redis server answers at {url}")
    return url


def chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        skip_or_fail("Chromium is not installed (Debian package `chromium`)")
    return path


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Real territories in the test database, loaded once."""
    with django_db_blocker.unblock():
        load_territories()


@pytest.fixture(autouse=True)
def _territories_after_flush(request):
    """Transactional tests (live server, real worker) flush the database after each test:
    load the territories again before the next one needs them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        if not Department.objects.exists():
            load_territories()
        if not ReminderRule.objects.exists():  # created by a data migration, flushed since
            rules_seed_defaults()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # rate limits must not leak from one test to the next
    yield


@pytest.fixture
def coordinator(db):
    return CoordinatorProfileFactory().user


@pytest.fixture
def pending_coordinator(db):
    return CoordinatorProfileFactory(status="pending", reviewed_at=None).user


@pytest.fixture
def promosante(db):
    return promosante_organisation()


@pytest.fixture
def staff(promosante):
    return MembershipFactory(organisation=promosante).user


@pytest.fixture
def dd93(db):
    org = OrganisationFactory(
        name="ARS DD 93", kind=Organisation.Kind.ARS_DD, department_codes=["93"]
    )
    return MembershipFactory(organisation=org).user


@pytest.fixture
def crpv95(db):
    org = OrganisationFactory(name="CRPV 95", kind=Organisation.Kind.CRPV, department_codes=["95"])
    return MembershipFactory(organisation=org).user


@pytest.fixture
def ars_hq(db):
    org = OrganisationFactory(
        name="ARS siège",
        kind=Organisation.Kind.ARS_HQ,
        department_codes=["75", "77", "78", "91", "92", "93", "94", "95"],
    )
    return MembershipFactory(organisation=org).user


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def no_role_user(db):
    return UserFactory()


USERS_BY_ROLE = {
    "anonymous": None,
    "pending": "pending_coordinator",
    "no_role": "no_role_user",
    "coordinator": "coordinator",
    "staff": "staff",
    "partner_dd93": "dd93",
    "partner_crpv95": "crpv95",
    "partner_ars": "ars_hq",
    "superuser": "superuser",
}


@pytest.fixture
def user_for_role(request):
    def get(role):
        name = USERS_BY_ROLE[role]
        return request.getfixturevalue(name) if name else None

    return get
