"""Where a person counts (`dashboards.indicators.people`): the rule computed row by row and the
same rule read from the `placed` block's temporary table give the same places, for people
and through a relation, in every scope; the table never outlives its block."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from coordinators.models import CoordinatorProfile, Scheme
from dashboards.filters import Scope
from dashboards.indicators.people import in_scope, placed
from territories.models import Department
from tests.factories import (
    CoordinatorProfileFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    UserFactory,
    commune,
)
from tests.network.directory_factories import person_in_post

pytestmark = pytest.mark.django_db

ON = date(2025, 12, 31)
REGION = Scope(department_codes=None, regional=True, individual=True)
SCOPES = {
    "region": REGION,
    "93": Scope(department_codes=frozenset({"93"})),
    "95 CLSM": Scope(department_codes=frozenset({"95"}), scheme_kind=Scheme.Kind.CLSM),
    "region ASV": Scope(department_codes=None, regional=True, scheme_kind=Scheme.Kind.ASV),
}


def post_of(user, department, kind, status=Scheme.Status.ACTIVE, **tenure):
    scheme = SchemeFactory(
        department=Department.objects.get(code=department), kind=kind, status=status
    )
    TenureFactory(person=user, post=PostFactory(schemes=[scheme]), **tenure)


@pytest.fixture
def people():
    """name → (user, place and type expected on ON)."""
    awa = person_in_post(first_name="Awa").user
    bilal = person_in_post(
        first_name="Bilal", commune_code="95585", department_code="95", kind=Scheme.Kind.CLSM
    ).user
    post_of(bilal, "93", Scheme.Kind.ASV)  # two posts: the first département's code counts
    chloe = CoordinatorProfileFactory(commune=commune("95585")).user  # no post: her commune
    dan = CoordinatorProfileFactory(commune=commune("75056")).user
    post_of(dan, "93", Scheme.Kind.CLS, ended_on=date(2025, 6, 30))  # left before ON
    eve = UserFactory()  # neither post nor profile: no place
    fay = CoordinatorProfileFactory(commune=commune("95585")).user
    post_of(fay, "93", Scheme.Kind.CLS, status=Scheme.Status.ENDED)  # scheme over
    gil = CoordinatorProfileFactory(commune=commune("93066")).user
    post_of(gil, "95", Scheme.Kind.CLSM, started_on=date(2026, 1, 5))  # arrives after ON
    return {
        "awa": (awa, "93", Scheme.Kind.CLS),
        "bilal": (bilal, "93", Scheme.Kind.ASV),
        "chloe": (chloe, "95", None),
        "dan": (dan, "75", None),
        "eve": (eve, None, None),
        "fay": (fay, "95", None),
        "gil": (gil, "93", None),
    }


def places(queryset, scope, path, key):
    return {
        (getattr(row, key) if key else row.pk, row.place, row.place_kind)
        for row in in_scope(queryset, scope, path, ON)
    }


def expected(people, scope):
    rows = set()
    for user, place, kind in people.values():
        if scope.department_codes is not None and place not in scope.department_codes:
            continue
        if scope.scheme_kind and kind != scope.scheme_kind:
            continue
        rows.add((user.pk, place, kind))
    return rows


@pytest.mark.parametrize("name", SCOPES)
def test_people_are_placed_the_same_row_by_row_and_from_the_table(people, name):
    scope = SCOPES[name]
    computed = places(User.objects.all(), scope, None, None)
    with placed(ON):
        read = places(User.objects.all(), scope, None, None)
    assert computed == read == expected(people, scope)


@pytest.mark.parametrize("name", SCOPES)
def test_a_relation_to_the_person_is_placed_the_same_way(people, name):
    scope = SCOPES[name]
    profiles = CoordinatorProfile.objects.all()
    computed = places(profiles, scope, "user", "user_id")
    with placed(ON):
        read = places(profiles, scope, "user", "user_id")
    with_profile = {k: v for k, v in people.items() if k != "eve"}
    assert computed == read == expected(with_profile, scope)


def test_another_day_inside_the_block_is_computed_for_that_day(people):
    gil = people["gil"][0]
    with placed(ON):
        later = in_scope(User.objects.filter(pk=gil.pk), REGION, None, date(2026, 2, 1))
        assert [(row.place, row.place_kind) for row in later] == [("95", Scheme.Kind.CLSM)]


def test_the_table_lives_in_its_block_only(people):
    with pytest.raises(ZeroDivisionError), placed(ON):
        1 / 0  # noqa: B018 - a failure inside the block
    # Dropped with the block (rolled back on PostgreSQL), and the block can start again.
    with placed(ON), placed(ON):  # a nested block reads the table under way
        assert in_scope(User.objects.all(), REGION, None, ON).count() == len(people)
    assert places(User.objects.all(), REGION, None, None) == expected(people, REGION)
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    assert "dashboards_placement" not in names


def test_the_table_is_filled_in_a_fixed_number_of_queries(people):
    with CaptureQueriesContext(connection) as small, placed(ON):
        pass
    for n in range(20):
        person_in_post(first_name=f"Nouvelle {n}", started_on=date(2024, 1, n + 1))
    with CaptureQueriesContext(connection) as large, placed(ON):
        pass
    statements = [q["sql"] for q in large if "SAVEPOINT" not in q["sql"]]  # the test's own
    assert len(small) == len(large)
    assert len(statements) == (4 if connection.vendor == "postgresql" else 3)


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_the_block_holds_no_transaction():
    """The demo's SQLite transactions are IMMEDIATE: one around the dashboard would keep every
    writer waiting while it is built. PostgreSQL keeps its table in a transaction."""
    with placed(ON):
        assert connection.in_atomic_block == (connection.vendor == "postgresql")
    assert not connection.in_atomic_block
