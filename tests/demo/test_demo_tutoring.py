"""The demo's tutoring: volunteers (Julien Moreau with room left), a request waiting, active
pairs with notes and sessions (one to come, with reminders), an ended pair with feedback from
both; Awa without a tutor nor a request; seeding twice changes nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from demo.dashboards import TUTORING_MESSAGE
from demo.loaders import accounts
from demo.tutoring import seed_tutoring
from network.models import PeerProfile
from network.models.tutoring import TutoringPair
from network.selectors import tutoring as selectors
from notifications.models import Delivery

pytestmark = pytest.mark.django_db


def person(key):
    return User.objects.get(email=accounts().account(key).email)


def test_the_demo_has_pairs_in_every_state(demo_seeded):
    # Two pairs of this year, and one in the Val-d'Oise begun last year; one pair ended this
    # year and four of the years before (the dashboards' seed, demo/dashboards.py).
    assert demo_seeded["tutorats en cours"] == 3
    assert demo_seeded["demandes de tutorat en attente"] == 1
    assert demo_seeded["tutorats terminés"] == 5
    for ended in TutoringPair.objects.filter(status="ended"):
        assert ended.newcomer_feedback and ended.tutor_feedback
        assert ended.started_on < ended.ended_on < timezone.localdate()
    # This year's pairs have notes and sessions (the dashboards' are figures of past years).
    active = TutoringPair.objects.filter(status="active").exclude(message=TUTORING_MESSAGE)
    assert all(pair.notes.exists() and pair.sessions.exists() for pair in active)
    upcoming = [
        s.event for p in active for s in p.sessions.all() if s.event.starts_at > timezone.now()
    ]
    assert len(upcoming) == 1
    [event] = upcoming
    assert event.registrations.filter(status="confirmed").count() == 2
    assert Delivery.objects.filter(topic=f"event:{event.pk}", kind="event_reminder").count() == 4


def test_julien_tutors_and_has_room_and_awa_is_free_to_ask(demo_seeded, client):
    julien, awa = person("experienced"), person("newcomer")
    assert TutoringPair.objects.filter(tutor=julien, status="active").count() == 1
    assert selectors.room_left(julien) == 1
    assert PeerProfile.objects.filter(tutoring_capacity__gt=0).count() >= 10
    assert not TutoringPair.objects.filter(newcomer=awa).exists()
    client.force_login(awa)
    form = client.get(reverse("tutoring_request")).context["form"]
    assert julien in form.fields["tutor"].queryset
    mine = client.get(reverse("tutoring")).context["mine"]
    assert mine.as_newcomer is None and mine.suggestions  # experienced CLS or ASV peers near


def test_seeding_twice_changes_nothing(demo_seeded):
    pairs = TutoringPair.objects.count()
    keys = ("tutorats en cours", "demandes de tutorat en attente", "tutorats terminés")
    again = seed_tutoring()
    assert {key: again[key] for key in keys} == {key: demo_seeded[key] for key in keys}
    assert TutoringPair.objects.count() == pairs


def test_the_demo_s_tutoring_e_mails_nobody(demo_seeded):
    """The pairs are the demo's history: no request, answer, end or session confirmation is
    e-mailed (only reminders of the session to come are planned)."""
    assert not Delivery.objects.filter(key__startswith="tutoring_message:").exists()
    sessions = [
        f"event:{pk}" for pk in TutoringPair.objects.values_list("sessions__event", flat=True)
    ]
    assert not Delivery.objects.filter(topic__in=sessions, kind="message").exists()
