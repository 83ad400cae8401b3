import pytest

from accounts.access import ANONYMOUS, PERMISSIONS, Role, access_for
from accounts.models import Organisation, User
from coordinators.models import CoordinatorProfile
from tests.factories import (
    CoordinatorProfileFactory,
    MembershipFactory,
    OrganisationFactory,
)

ALL = frozenset({"75", "77", "78", "91", "92", "93", "94", "95"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected_role", "departments"),
    [
        ("pending", Role.PENDING, frozenset()),
        ("no_role", Role.NONE, frozenset()),
        ("coordinator", Role.COORDINATOR, None),
        ("staff", Role.STAFF, None),
        ("partner_dd93", Role.PARTNER, {"93"}),
        ("partner_crpv95", Role.PARTNER, {"95"}),
        ("partner_ars", Role.PARTNER, ALL),
        ("superuser", Role.SUPERUSER, None),
    ],
)
def test_role_and_scope(user_for_role, role, expected_role, departments):
    access = access_for(user_for_role(role))
    assert access.role == expected_role
    assert access.department_codes == departments


@pytest.mark.django_db
def test_anonymous_and_inactive_users_have_no_access(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert access_for(AnonymousUser()) is ANONYMOUS
    user = CoordinatorProfileFactory().user
    user.is_active = False
    assert access_for(user) is ANONYMOUS


@pytest.mark.django_db
def test_a_partner_of_two_organisations_sees_both_territories():
    user = MembershipFactory(
        organisation=OrganisationFactory(kind=Organisation.Kind.CRPV, department_codes=["93"])
    ).user
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(kind=Organisation.Kind.ARS_DD, department_codes=["94"]),
    )
    assert access_for(user).department_codes == {"93", "94"}


@pytest.mark.django_db
def test_membership_of_promosante_wins_over_a_coordinator_profile(promosante):
    user = CoordinatorProfileFactory().user
    MembershipFactory(user=user, organisation=promosante)
    assert access_for(user).role == Role.STAFF


@pytest.mark.django_db
def test_scope_filters_individual_data_by_department(dd93):
    in_93 = CoordinatorProfileFactory()  # Saint-Denis
    CoordinatorProfileFactory(commune_id=None)
    in_95 = CoordinatorProfileFactory(
        commune=in_93.commune.__class__.objects.get(code_insee="95585")
    )
    scoped = access_for(dd93).scope(
        CoordinatorProfile.objects.all(), department_field="commune__department"
    )
    assert list(scoped) == [in_93]
    assert in_95 not in scoped
    assert [d.code for d in access_for(dd93).departments()] == ["93"]


@pytest.mark.django_db
def test_access_costs_at_most_two_queries(django_assert_max_num_queries, dd93, coordinator):
    for user in (dd93, coordinator):
        user = User.objects.get(pk=user.pk)
        with django_assert_max_num_queries(2):
            access = access_for(user)
            access.department_codes  # noqa: B018


def test_every_permission_names_known_roles():
    for roles in PERMISSIONS.values():
        assert roles <= set(Role)
