"""The demo's notifications: reminders of its registrations, the welcome sequence of the demo
newcomer, and a webinar an hour away whose reminder fires while `make demo` runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agenda import reminders
from agenda.models import Event
from demo.notifications import NEW_DEMO, TOUR, WELCOME
from demo.seed import seed_demo
from notifications.models import Delivery, SequenceRun

pytestmark = pytest.mark.django_db


def test_the_demo_plans_reminders_and_welcomes_its_newcomer():
    seed_demo()
    now = timezone.now()
    run = SequenceRun.objects.get(person__email=NEW_DEMO, sequence__name=WELCOME)
    assert run.deliveries.filter(step__delay_days=0, due_at__lte=now).exists()
    tour = Event.objects.get(title=TOUR, starts_at__gt=now)
    h1 = Delivery.objects.filter(topic=reminders.topic(tour), reminder__hours_before=1)
    assert h1.count() == 2
    assert all(now < d.due_at <= now + timedelta(minutes=6) for d in h1)
    upcoming = Delivery.objects.filter(kind="event_reminder", status="due").exclude(
        topic=reminders.topic(tour)
    )
    assert upcoming.count() > 50
    # Seeding again adds nothing.
    before = Delivery.objects.count()
    seed_demo()
    assert Delivery.objects.count() == before
    assert Event.objects.filter(title=TOUR).count() == 1


def test_the_welcome_email_sends_to_la_boussole_in_the_library_not_to_a_reply():
    """La boussole opens from the library (/ressources/): the welcome e-mail says where it is
    rather than asking to request it by e-mail."""
    from accounts.access import Role, access_for
    from demo import loaders
    from demo.notifications import WELCOME_STEPS
    from tests.factories import CoordinatorProfileFactory

    body = WELCOME_STEPS[0][2]
    boussole = next(line for line in body.splitlines() if "La boussole" in line)
    assert "menu Ressources" in boussole
    assert "répondant" not in boussole and "demandez" not in boussole
    titles = [r.title for r in loaders.learning().resources]
    assert "La boussole de la démarche locale en santé" in titles
    coordinator = CoordinatorProfileFactory().user
    assert access_for(coordinator).role == Role.COORDINATOR
    assert "Ressources" in [label for label, _url in access_for(coordinator).navigation()]
