from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.access import Role, access_for
from accounts.models import Membership, Organisation, User
from agenda.models import Event, Feedback, GuestInvitation, Registration
from coordinators.models import HandoverFile, Post, Scheme, Tenure
from demo.notifications import TOUR
from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from learning.models import (
    Enrolment,
    PriorLearningRequest,
    SelfAssessment,
    StepCompletion,
)
from notifications.models import SequenceRun

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


@pytest.mark.django_db
def test_running_it_again_prints_the_same_figures(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    assert capsys.readouterr().out == first
    assert "218 dispositifs" in first and "3 parcours" in first


@pytest.mark.django_db
def test_seeding_sends_only_the_demo_s_own_e_mails(django_capture_on_commit_callbacks, mailoutbox):
    """Once committed, the demo sends the newcomer's welcome and the confirmations of the webinar
    an hour away (registered through the agenda); nothing to the hundreds of other people."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    tour = "Inscription confirmée : Webinaire : prise en main de la plateforme"
    welcome = "Bienvenue dans le réseau des coordinateur·rices, Awa"
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    assert sorted((m.to, m.subject.removeprefix(prefix)) for m in mailoutbox) == [
        (["coordinateur@demo.example.org"], tour),
        (["coordinatrice@demo.example.org"], welcome),
        (["coordinatrice@demo.example.org"], tour),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert len(mailoutbox) == 3


def demo_rows():
    """What the demo holds, but for the webinar an hour away (a new one once it has passed)."""
    models = [Scheme, Post, Tenure, HandoverFile, GuestInvitation, Feedback, Enrolment]
    models += [StepCompletion, PriorLearningRequest, SelfAssessment, SequenceRun]
    rows = {model.__name__: sorted(model.objects.values_list(), key=repr) for model in models}
    rows["events"] = sorted(Event.objects.exclude(title=TOUR).values_list(), key=repr)
    rows["registrations"] = sorted(
        Registration.objects.exclude(event__title=TOUR).values_list(), key=repr
    )
    rows["users"] = sorted(User.objects.values_list("pk", "email", "date_joined"))
    return rows


@pytest.mark.django_db
def test_seeding_again_days_later_keeps_the_demo_and_plans_a_new_webinar():
    call_command("seed_demo")
    before = demo_rows()
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        call_command("seed_demo")
        assert demo_rows() == before
        upcoming = Event.objects.get(title=TOUR, starts_at__gt=timezone.now())
        assert upcoming.registrations.count() == 2
    assert Event.objects.filter(title=TOUR).count() == 2
