"""The demo's past, written directly (`demo.history`): each row is refused when the platform's
rules would refuse it, and nothing is written then."""

import datetime
from datetime import timedelta

import pytest
from django.db.models import prefetch_related_objects
from django.utils import timezone

from agenda.models import GuestInvitation, Registration
from coordinators.models import Scheme, Tenure
from demo.history import (
    HistoryError,
    invitations_record,
    readings_record,
    registrations_record,
    tenures_record,
)
from resources.models import Resource, ResourceRead
from tests.factories import EventFactory, PostFactory, SchemeFactory, UserFactory, in_days

pytestmark = pytest.mark.django_db
D = datetime.date


def post(**fields):
    created = PostFactory(**fields)
    prefetch_related_objects([created], "schemes")
    return created


def tenure(post, started_on, ended_on=None, reason=Tenure.EndReason.LEFT):
    return Tenure(
        post=post,
        person=UserFactory(),
        started_on=started_on,
        ended_on=ended_on,
        end_reason=reason if ended_on else "",
    )


def test_a_post_history_is_written_when_it_holds():
    held = post(opened_on=D(2012, 1, 1))
    tenures_record(
        [
            tenure(held, D(2012, 3, 1), D(2016, 6, 30)),
            tenure(held, D(2016, 9, 5)),
            tenure(held, D(2016, 6, 30), D(2016, 9, 5)),  # an arrival on the day of a departure
        ]
    )
    assert Tenure.objects.filter(post=held).count() == 3


@pytest.mark.parametrize(
    "dates, refusal",
    [
        ([(D(2012, 3, 1), D(2016, 6, 30)), (D(2016, 6, 1), None)], "chevauche"),
        ([(D(2012, 3, 1), None), (D(2016, 9, 5), None)], "chevauche"),  # two people in post
        ([(D(2011, 3, 1), D(2013, 1, 1))], "ouvert que depuis"),
        ([(D(2014, 3, 1), D(2013, 1, 1))], "précède"),
    ],
)
def test_a_history_the_register_would_refuse_is_not_written(dates, refusal):
    held = post(opened_on=D(2012, 1, 1))
    with pytest.raises(HistoryError, match=refusal):
        tenures_record([tenure(held, start, end) for start, end in dates])
    assert not Tenure.objects.exists()


def test_nobody_holds_a_post_after_it_or_its_scheme_ended():
    closed = post(opened_on=D(2012, 1, 1), closed_on=D(2019, 1, 1))
    with pytest.raises(HistoryError):
        tenures_record([tenure(closed, D(2015, 1, 1))])
    with pytest.raises(HistoryError):
        tenures_record([tenure(closed, D(2015, 1, 1), D(2019, 6, 1))])
    ended = SchemeFactory(
        status=Scheme.Status.ENDED, signed_on=D(2011, 1, 1), ends_on=D(2018, 1, 1)
    )
    on_ended = post(opened_on=D(2012, 1, 1), schemes=[ended])
    with pytest.raises(HistoryError):
        tenures_record([tenure(on_ended, D(2018, 3, 1), D(2019, 1, 1))])
    tenures_record([tenure(on_ended, D(2012, 3, 1), D(2017, 1, 1))])  # history before its end


def registration(event, *, days_before, guest=False, **fields):
    return Registration(
        event=event,
        person=None if guest else UserFactory(),
        status=fields.pop("status", Registration.Status.CONFIRMED),
        created_at=event.starts_at - timedelta(days=days_before),
        **fields,
    )


def test_registrations_of_the_past_are_dated_and_checked_at_their_moment(mailoutbox):
    past = EventFactory(starts_at=in_days(-10), ends_at=in_days(-10, hour=12), capacity=2)
    rows = [
        registration(past, days_before=20, attended=True, checked_in_at=past.starts_at),
        registration(past, days_before=15, attended=False, excused=True),
        registration(
            past,
            days_before=12,
            status=Registration.Status.CANCELLED,
            cancelled_at=past.starts_at - timedelta(days=2),
        ),
    ]
    registrations_record(rows, now=timezone.now())
    assert sorted(Registration.objects.filter(event=past).values_list("created_at", flat=True)) == [
        past.starts_at - timedelta(days=d) for d in (20, 15, 12)
    ]
    assert mailoutbox == []


@pytest.mark.parametrize(
    "problem, refusal",
    [
        ("before opening", "ouvrent le"),
        ("after start", "déjà commencé"),
        ("late cancellation", "annulation"),
        ("attended ahead", "présence"),
        ("over capacity", "2 places prises sur 1"),
    ],
)
def test_a_registration_the_agenda_would_refuse_is_not_written(problem, refusal):
    past = EventFactory(
        starts_at=in_days(-10),
        ends_at=in_days(-10, hour=12),
        capacity=1,
        registration_opens_at=in_days(-30),
    )
    upcoming = EventFactory(starts_at=in_days(10), ends_at=in_days(10, hour=12), capacity=1)
    rows = {
        "before opening": [registration(past, days_before=25)],
        "after start": [registration(past, days_before=-1)],
        "late cancellation": [
            registration(
                past,
                days_before=5,
                status=Registration.Status.CANCELLED,
                cancelled_at=past.starts_at + timedelta(hours=1),
            )
        ],
        "attended ahead": [registration(upcoming, days_before=5, attended=True)],
        "over capacity": [registration(past, days_before=5), registration(past, days_before=4)],
    }[problem]
    with pytest.raises(HistoryError, match=refusal):
        registrations_record(rows, now=timezone.now())
    assert not Registration.objects.exists()


def test_nobody_waits_for_a_free_seat():
    upcoming = EventFactory(starts_at=in_days(10), ends_at=in_days(10, hour=12), capacity=2)
    rows = [
        registration(upcoming, days_before=5),
        registration(upcoming, days_before=4, status=Registration.Status.WAITLISTED),
    ]
    with pytest.raises(HistoryError, match="en attente"):
        registrations_record(rows, now=timezone.now())
    assert not Registration.objects.exists()


def test_guests_only_where_guests_are_invited():
    event = EventFactory(starts_at=in_days(20), ends_at=in_days(20, hour=12), audiences=["all"])
    invitation = GuestInvitation(
        event=event,
        email="elu@ville.example.org",
        first_name="Jean",
        last_name="Élu",
        created_at=timezone.now() - timedelta(days=2),
        expires_at=event.starts_at - timedelta(days=1),
    )
    with pytest.raises(HistoryError):
        invitations_record([invitation])
    guest = registration(event, days_before=3, guest=True, email="elu@ville.example.org")
    with pytest.raises(HistoryError):
        registrations_record([guest], now=timezone.now())
    event.audiences = ["all", "guests"]
    event.save()
    invitations_record([invitation])
    assert GuestInvitation.objects.get().created_at == invitation.created_at


def test_only_a_published_resource_was_read():
    hidden = Resource.objects.create(
        title="Brouillon", kind=Resource.Kind.GUIDE, is_published=False
    )
    moment = timezone.now() - timedelta(days=30)
    with pytest.raises(HistoryError):
        readings_record([ResourceRead(resource=hidden, person=UserFactory(), read_at=moment)])
    hidden.is_published = True
    hidden.save()
    readings_record([ResourceRead(resource=hidden, person=UserFactory(), read_at=moment)])
    assert ResourceRead.objects.get().read_at == moment
