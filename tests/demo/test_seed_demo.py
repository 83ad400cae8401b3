import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.access import Role, access_for
from accounts.models import Membership, Organisation, User
from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD

EXPECTED = {
    "coordinatrice@demo.example.org": (Role.COORDINATOR, None),
    "coordinateur@demo.example.org": (Role.COORDINATOR, None),
    "equipe@demo.example.org": (Role.STAFF, None),
    "ars@demo.example.org": (Role.PARTNER, {"75", "77", "78", "91", "92", "93", "94", "95"}),
    "dd93@demo.example.org": (Role.PARTNER, {"93"}),
    "crpv95@demo.example.org": (Role.PARTNER, {"95"}),
    "admin@demo.example.org": (Role.SUPERUSER, None),
}


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_gives_each_account_its_role(capsys):
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert Organisation.objects.filter(kind="ars_dd").count() == 8
    assert Organisation.objects.filter(kind="crpv").count() == 3
    assert "demo-reseau-2026" in capsys.readouterr().out

    assert sorted(EXPECTED) == sorted(email for email, *_ in DEMO_ACCOUNTS)
    for email, (role, departments) in EXPECTED.items():
        access = access_for(User.objects.get(email=email))
        assert access.role == role, email
        assert access.department_codes == departments, email


@pytest.mark.django_db
def test_every_demo_account_can_log_in_with_the_readme_password():
    call_command("seed_demo")
    for email, *_ in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        assert "_auth_user_id" in client.session, email


@pytest.mark.django_db
def test_demo_coordinators_are_where_the_spec_says():
    call_command("seed_demo")
    new = User.objects.get(email="coordinatrice@demo.example.org").coordinator_profile
    experienced = User.objects.get(email="coordinateur@demo.example.org").coordinator_profile
    assert new.commune.department.code == "93"
    assert experienced.commune.department.code == "95"
