"""Onboarding sequences: started by an arrival or an activation, steps sent when due with their
variables filled, skipped with a reason when a condition says so, stopped on
departure or opt-out."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from agenda import services as training_services
from coordinators import services as register_services
from coordinators.models import Tenure
from demo.notifications import WELCOME_STEPS, seed_welcome_sequence
from notifications import onboarding, services
from notifications.models import Delivery, Sequence, SequenceRun, SequenceStep
from notifications.subscriptions import preferences_update
from tests.factories import EventFactory, PostFactory, TenureFactory, UserFactory, in_days

pytestmark = pytest.mark.django_db


def arrive(person=None, started_on=None):
    person = person or UserFactory(first_name="Awa")
    tenure = register_services.post_arrival(
        post=PostFactory(), person=person, started_on=started_on or timezone.localdate()
    )
    return person, tenure


def steps_of(person):
    return {
        d.step.delay_days: d
        for d in Delivery.objects.filter(recipient=person, kind="onboarding_step").select_related(
            "step"
        )
    }


def send_at(delivery, moment, mailoutbox):
    with time_machine.travel(moment, tick=False):
        services.deliveries_send([delivery.pk])
    delivery.refresh_from_db()
    return delivery


# J0 goes at once in the day; an arrival recorded before 9:30 (Paris) waits until then.
@time_machine.travel(datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC))
def test_a_newcomer_s_arrival_starts_the_welcome_sequence(
    django_capture_on_commit_callbacks, mailoutbox
):
    seed_welcome_sequence()
    with django_capture_on_commit_callbacks(execute=True):
        person, tenure = arrive()
    run = SequenceRun.objects.get(person=person)
    assert run.source == f"tenure:{tenure.pk}"
    rows = steps_of(person)
    assert sorted(rows) == [delay for delay, *_ in WELCOME_STEPS]
    # J0 goes at once; the others at 9:30 Paris on their day.
    assert rows[0].status == Delivery.Status.SENT
    assert timezone.localtime(rows[7].due_at).time() == datetime.time(9, 30)
    assert timezone.localdate(rows[7].due_at) == timezone.localdate() + datetime.timedelta(days=7)
    welcome = next(m for m in mailoutbox if "Bienvenue" in m.subject)
    assert "Bonjour Awa" in welcome.body and "{" not in welcome.body
    assert "List-Unsubscribe" in welcome.extra_headers
    assert "!!UNKNOWN" not in welcome.body + welcome.alternatives[0][0]


def test_a_coordinator_who_only_changes_post_is_not_welcomed_again():
    seed_welcome_sequence()
    person = UserFactory()
    TenureFactory(person=person, started_on=datetime.date(2019, 1, 1))
    arrive(person)
    assert not SequenceRun.objects.filter(person=person).exists()


def test_an_old_arrival_recorded_late_starts_nothing():
    seed_welcome_sequence()
    person, _ = arrive(started_on=timezone.localdate() - datetime.timedelta(days=90))
    assert not SequenceRun.objects.filter(person=person).exists()


def test_the_welcome_day_step_is_skipped_for_someone_already_registered(mailoutbox):
    seed_welcome_sequence()
    person, _ = arrive()
    welcome_day = EventFactory(is_welcome_day=True, starts_at=in_days(40), kind="regional_day")
    training_services.event_register(event=welcome_day, person=person)
    step = send_at(steps_of(person)[14], steps_of(person)[14].due_at, mailoutbox)
    assert step.status == Delivery.Status.CANCELLED
    assert step.last_error == "Déjà inscrit·e à une journée d'accueil."


def test_the_welcome_day_step_names_the_next_session(mailoutbox):
    seed_welcome_sequence()
    person, _ = arrive()
    welcome_day = EventFactory(
        is_welcome_day=True, starts_at=in_days(40), kind="regional_day", title="Journée d'accueil"
    )
    step = steps_of(person)[14]
    step = send_at(step, step.due_at, mailoutbox)
    assert step.status == Delivery.Status.SENT
    assert "Journée d'accueil, le" in step.text
    assert f"/agenda/{welcome_day.pk}/" in step.text


def test_leaving_the_post_stops_the_sequence():
    seed_welcome_sequence()
    person, tenure = arrive()
    register_services.post_departure(
        tenure=tenure, ended_on=timezone.localdate(), reason=Tenure.EndReason.OTHER
    )
    run = SequenceRun.objects.get(person=person)
    assert run.stopped_at and run.stop_reason == "La personne a quitté son poste."
    pending = [row for delay, row in steps_of(person).items() if delay > 0]
    assert {row.status for row in pending} == {Delivery.Status.CANCELLED}


def test_turning_onboarding_off_stops_the_sequence():
    seed_welcome_sequence()
    person, _ = arrive()
    preferences_update(user=person, muted={"onboarding"})
    assert SequenceRun.objects.get(person=person).stopped_at is not None
    assert not Delivery.objects.filter(
        recipient=person, kind="onboarding_step", status="due"
    ).exists()


def test_staff_edits_apply_to_running_sequences():
    sequence = seed_welcome_sequence()
    person, _ = arrive()
    added = SequenceStep.objects.create(
        sequence=sequence, delay_days=60, subject="Deux mois", body="Bonjour {prenom}"
    )
    retired = sequence.steps.get(delay_days=30)
    retired.is_active = False
    retired.save()
    onboarding.sequence_replan(sequence)
    rows = steps_of(person)
    assert rows[60].step == added and rows[60].status == Delivery.Status.DUE
    assert rows[30].status == Delivery.Status.CANCELLED
    assert rows[30].last_error == "Étape retirée par l'équipe."


def test_an_activation_sequence_starts_when_staff_invite_a_coordinator(
    django_capture_on_commit_callbacks,
):
    Sequence.objects.create(name="Premiers pas", trigger="activation").steps.create(
        delay_days=0, subject="Premiers pas, {prenom}", body="Bonjour {prenom}"
    )
    from accounts.services import invitation_accept
    from tests.factories import InvitationFactory

    invitation = InvitationFactory(role="coordinator")
    user = invitation_accept(
        invitation=invitation, first_name="Léa", last_name="Roux", password="un-mot-de-passe-long"
    )
    assert SequenceRun.objects.filter(person=user, sequence__name="Premiers pas").exists()


def test_unknown_variables_are_reported_in_french():
    assert onboarding.body_errors("Bonjour {prenom}, voir {lien_profil}") == []
    [error] = onboarding.body_errors("Bonjour {prénom} {surnom}")[:1]
    assert error.startswith("Variable inconnue : {surnom}")
