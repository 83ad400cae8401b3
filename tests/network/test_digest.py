"""The weekly digest: what each coordinator is told, once per person and ISO week (twice run,
or at once), nothing when nothing is new or when turned off, the one-click unsubscribe of its
category, and a build in a fixed number of queries whatever the number of people."""

import datetime
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda.models import Event, Registration
from coordinators.models import Topic
from network.models import PeerProfile
from network.selectors.digest import weekly_digests
from network.services.digest import digest_key, weekly_digest_plan
from network.services.questions import question_ask
from network.tasks import weekly_digest
from notifications import preferences
from notifications.models import Category, Delivery, Preference
from resources.models.library import Resource
from territories.models import Department
from tests.factories import CoordinatorProfileFactory, EventFactory, MembershipFactory

from .news_factories import coordinator_in, publish

pytestmark = pytest.mark.django_db


def next_monday(hour=8, minute=0, weeks=1):
    """Monday of a coming week at a Paris time (what was created today is within its week)."""
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 * weeks - today.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time(hour, minute)))


def new_resource(title="Guide du diagnostic local", audience="coordinators", when=None, **fields):
    fields.setdefault("is_published", True)
    return Resource.objects.create(
        title=title,
        kind=Resource.Kind.GUIDE,
        url="https://ressources.example.org/guide",
        audience=audience,
        published_at=when or timezone.now() if fields["is_published"] else None,
        **fields,
    )


def topic(name="Santé mentale"):
    return Topic.objects.get_or_create(name=name)[0]


def peer(**user):
    """A coordinator (who offers nothing)."""
    return CoordinatorProfileFactory(**{f"user__{k}": v for k, v in user.items()}).user


def digests():
    return Delivery.objects.filter(key__startswith="weekly:")


def test_the_digest_lists_what_is_new_for_the_person(staff, crpv95):
    monday = next_monday()
    julien = coordinator_in("95", user__first_name="Julien")
    new_resource("Guide du diagnostic local")
    new_resource("Note interne de l’équipe", audience="partners")  # not for coordinators
    new_resource("Brouillon", is_published=False)
    publish(crpv95, codes=["95"], title="Appel à projets santé mentale 95")
    publish(staff, codes=["93"], title="Réunion des coordinateurs du 93")
    open_event = EventFactory(
        title="Webinaire sur l’évaluation", starts_at=monday + datetime.timedelta(days=3)
    )
    EventFactory(
        title="Atelier de Seine-Saint-Denis", starts_at=monday + datetime.timedelta(days=4)
    ).departments.set(Department.objects.filter(code="93"))
    EventFactory(
        title="Journée des nouveaux",
        audiences=["newcomers"],
        starts_at=monday + datetime.timedelta(days=5),
    )
    registered = EventFactory(title="Déjà inscrit", starts_at=monday + datetime.timedelta(days=6))
    Registration.objects.create(
        event=registered, person=julien, status=Registration.Status.CONFIRMED
    )
    EventFactory(title="Trop loin", starts_at=monday + datetime.timedelta(days=40))
    mental_health = topic()
    PeerProfile.objects.create(person=julien).offered_topics.set([mental_health])
    asker = peer(first_name="Inès")
    question_ask(
        author=asker,
        title="Comment lancer un CLSM ?",
        body="…",
        topics=[mental_health],
        notify=False,
    )
    question_ask(author=asker, title="Une question sans rapport", body="…", notify=False)

    assert weekly_digest_plan(now=monday) == 2  # Julien, and Inès (the new guide)
    [delivery] = digests().filter(recipient=julien)
    assert delivery.key == digest_key(julien.pk, monday)
    assert delivery.key.endswith(f"-W{monday.isocalendar()[1]:02d}")
    assert delivery.category == Category.WEEKLY
    assert delivery.subject.startswith("Lettre de la semaine")
    for text in (
        "Guide du diagnostic local",
        "Appel à projets santé mentale 95",
        open_event.title,
        "Comment lancer un CLSM ?",
    ):
        assert text in delivery.text and text in delivery.html
    for text in (
        "Note interne",
        "Brouillon",
        "Réunion des coordinateurs du 93",
        "Atelier de Seine-Saint-Denis",
        "Journée des nouveaux",
        "Déjà inscrit",
        "Trop loin",
        "sans rapport",
    ):
        assert text not in delivery.text, text
    assert "!!UNKNOWN" not in delivery.html + delivery.text
    # The footer's one-click link turns off this category, and only it.
    token = delivery.html.split("/notifications/desinscription/")[1].split("/")[0]
    assert preferences.read_unsubscribe_token(token) == (julien.pk, Category.WEEKLY)


def test_only_coordinators_get_it_and_not_before_monday_seven(staff, crpv95):
    coordinator_in("95")
    new_resource()
    assert weekly_digest_plan(now=next_monday(6, 59)) == 0
    assert weekly_digest_plan(now=next_monday(7, 0)) == 1
    assert digests().count() == 1
    assert not digests().filter(recipient__coordinator_profile=None).exists()


def test_a_missed_monday_is_caught_up_later_in_the_week(coordinator):
    new_resource()
    assert weekly_digest_plan(now=next_monday(10) + datetime.timedelta(days=2)) == 1


def test_once_per_person_and_week_even_when_run_again(coordinator):
    monday = next_monday()
    new_resource()
    assert weekly_digest_plan(now=monday) == 1
    assert weekly_digest_plan(now=monday + datetime.timedelta(hours=1)) == 0
    new_resource("Arrivée après la lettre")  # next week's
    assert weekly_digest_plan(now=monday + datetime.timedelta(days=3)) == 0
    assert digests().count() == 1
    # Next week: only what came since the previous digest.
    next_week = monday + datetime.timedelta(days=7)
    Delivery.objects.filter(key__startswith="weekly:").update(created_at=monday, due_at=monday)
    Resource.objects.filter(title="Arrivée après la lettre").update(
        published_at=monday + datetime.timedelta(days=1)
    )
    assert weekly_digest_plan(now=next_week) == 1
    latest = digests().get(key=digest_key(coordinator.pk, next_week))
    assert "Arrivée après la lettre" in latest.text
    assert "Guide du diagnostic local" not in latest.text


def test_nothing_new_nothing_sent(coordinator):
    old = next_monday() - datetime.timedelta(days=30)
    new_resource(when=old)
    EventFactory(starts_at=next_monday() + datetime.timedelta(days=2))  # announced long ago
    Event.objects.update(created_at=old)
    assert weekly_digest_plan(now=next_monday()) == 0
    assert not digests().exists()


def test_turned_off_in_one_click_nothing_planned(coordinator):
    Preference.objects.create(user=coordinator, muted=[Category.WEEKLY])
    new_resource()
    assert weekly_digest_plan(now=next_monday()) == 0
    assert Category.WEEKLY in preferences.OPTIONAL  # the preferences page and the link offer it


def test_the_task_takes_a_date(coordinator):
    new_resource()
    assert weekly_digest(next_monday().isoformat()) == 1
    assert weekly_digest(next_monday().replace(tzinfo=None).isoformat()) == 0


def test_building_the_digest_of_many_people_runs_a_fixed_number_of_queries(staff, crpv95):
    monday = next_monday()
    new_resource()
    publish(crpv95, codes=["95"], title="Pour le 95")
    EventFactory(starts_at=monday + datetime.timedelta(days=2))
    mental_health = topic()
    question_ask(
        author=peer(), title="Une question", body="…", topics=[mental_health], notify=False
    )

    def people(count):
        made = [coordinator_in("95") for _ in range(count)]
        for person in made:
            PeerProfile.objects.create(person=person).offered_topics.set([mental_health])
        return made

    def queries(group):
        with CaptureQueriesContext(connection) as context:
            result = weekly_digests(group, now=monday)
        assert all(d.resources and d.news and d.events and d.questions for d in result.values())
        return len(context)

    assert queries(people(3)) == queries(people(30))


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_digest_per_person():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions: PostgreSQL")
    people = [CoordinatorProfileFactory().user for _ in range(5)]
    new_resource()
    monday = next_monday()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            weekly_digest_plan(now=monday)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(digests().values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)


def test_partners_and_staff_get_no_digest(staff, crpv95):
    MembershipFactory()
    new_resource()
    assert weekly_digest_plan(now=next_monday()) == 0
