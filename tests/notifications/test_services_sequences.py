"""Staff edits of onboarding sequences (`onboarding.sequence_save`, `sequence_step_save`,
`sequence_step_set_active`): the people already accompanied follow the change; refused input
says why, in French, and saves nothing."""

import pytest

from notifications import onboarding
from notifications.models import Delivery, Sequence, SequenceRun, SequenceStep
from notifications.services import NotificationError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sequence():
    sequence = Sequence.objects.create(name="Bienvenue", trigger="arrival", newcomers_only=False)
    sequence.steps.create(delay_days=0, subject="Bienvenue {prenom}", body="Bonjour {prenom} !")
    return sequence


@pytest.fixture
def run(sequence):
    [run] = onboarding.sequence_start(person=UserFactory(first_name="Awa"), trigger="arrival")
    return run


def step_rows(run):
    return {
        row.step.delay_days: row
        for row in Delivery.objects.filter(run=run, kind="onboarding_step").select_related("step")
    }


def snapshot():
    return (
        sorted(Sequence.objects.values_list("pk", "name", "trigger", "segments", "is_active")),
        sorted(SequenceStep.objects.values_list("pk", "delay_days", "subject", "is_active")),
        Delivery.objects.filter(status="due").count(),
    )


# --- Sequences --------------------------------------------------------------------------------


def test_a_new_sequence_is_saved_with_its_name_trimmed():
    saved = onboarding.sequence_save(
        sequence=Sequence(name="  Nouveaux CLS ", trigger="arrival", segments=["CLS", "ASV"])
    )
    saved.refresh_from_db()
    assert (saved.name, sorted(saved.segments), saved.is_active) == (
        "Nouveaux CLS",
        ["ASV", "CLS"],
        True,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "Donnez un nom à la séquence."),
        ({"name": "x" * 201}, "au plus 200 caractères"),
        ({"name": "Bienvenue"}, "Une séquence porte déjà ce nom."),
        ({"trigger": "inconnu"}, "Choisissez le déclencheur de la séquence."),
        ({"segments": ["CLS", "XYZ"]}, "Type de dispositif inconnu : XYZ."),
    ],
)
def test_a_refused_sequence_says_why_and_saves_nothing(sequence, fields, message):
    before = snapshot()
    values = {"name": "Autre", "trigger": "arrival", "segments": [], **fields}
    with pytest.raises(NotificationError, match=message):
        onboarding.sequence_save(sequence=Sequence(**values))
    assert snapshot() == before


def test_renaming_a_sequence_to_its_own_name_is_fine(sequence):
    sequence.newcomers_only = True
    onboarding.sequence_save(sequence=sequence)
    sequence.refresh_from_db()
    assert sequence.newcomers_only


def test_turning_a_sequence_off_stops_the_people_it_accompanies(sequence, run):
    sequence.steps.create(delay_days=7, subject="Une semaine", body="Bonjour")
    onboarding.sequence_replan(sequence)
    assert step_rows(run)[7].status == Delivery.Status.DUE
    sequence.is_active = False
    onboarding.sequence_save(sequence=sequence)
    run.refresh_from_db()
    assert run.stopped_at is not None and run.stop_reason == "Séquence désactivée par l'équipe."
    assert step_rows(run)[7].status == Delivery.Status.CANCELLED


# --- Steps ------------------------------------------------------------------------------------


def test_a_step_added_is_planned_for_the_people_accompanied(sequence, run):
    step = onboarding.sequence_step_save(
        step=SequenceStep(
            sequence=sequence,
            delay_days=10,
            subject=" Dix jours, {prenom} ",
            body="Voici l'agenda : {lien_agenda}",
            condition="profile_incomplete",
        )
    )
    step.refresh_from_db()
    assert (step.subject, step.condition) == ("Dix jours, {prenom}", "profile_incomplete")
    assert step_rows(run)[10].status == Delivery.Status.DUE


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"delay_days": -1}, "Le délai d'une étape va de 0 à 365 jours"),
        ({"delay_days": 366}, "Le délai d'une étape va de 0 à 365 jours"),
        ({"delay_days": None}, "Le délai d'une étape va de 0 à 365 jours"),
        ({"subject": " "}, "Indiquez l'objet de l'e-mail."),
        ({"subject": "x" * 201}, "200 caractères au plus"),
        ({"body": ""}, "Indiquez le texte de l'e-mail."),
        ({"body": "Bonjour {surnom}"}, "Variable inconnue : {surnom}"),
        ({"subject": "Salut {prénom}"}, None),  # not a variable name: plain text
        ({"condition": "inconnue"}, "Choisissez une condition de la liste"),
    ],
)
def test_a_refused_step_says_why_and_saves_nothing(sequence, run, fields, message):
    before = snapshot()
    values = {"sequence": sequence, "delay_days": 3, "subject": "Trois jours", "body": "Bonjour"}
    step = SequenceStep(**{**values, **fields})
    if message is None:
        onboarding.sequence_step_save(step=step)
        assert SequenceStep.objects.filter(pk=step.pk).exists()
        return
    with pytest.raises(NotificationError, match=message):
        onboarding.sequence_step_save(step=step)
    assert snapshot() == before


def test_a_step_without_a_sequence_is_refused():
    with pytest.raises(NotificationError, match="Une étape appartient à une séquence."):
        onboarding.sequence_step_save(step=SequenceStep(delay_days=1, subject="a", body="b"))
    assert not SequenceStep.objects.exists()


def test_retiring_a_step_cancels_what_it_planned_and_bringing_it_back_plans_it(sequence, run):
    step = sequence.steps.create(delay_days=20, subject="Vingt jours", body="Bonjour")
    onboarding.sequence_replan(sequence)
    onboarding.sequence_step_set_active(step=step, active=False)
    step.refresh_from_db()
    assert not step.is_active
    row = step_rows(run)[20]
    assert row.status == Delivery.Status.CANCELLED
    assert row.last_error == "Étape retirée par l'équipe."

    newcomer = UserFactory()
    [later_run] = onboarding.sequence_start(person=newcomer, trigger="arrival")
    assert 20 not in step_rows(later_run)
    onboarding.sequence_step_set_active(step=step, active=True)
    step.refresh_from_db()
    assert step.is_active
    assert step_rows(later_run)[20].status == Delivery.Status.DUE
    assert SequenceRun.objects.filter(stopped_at__isnull=True).count() == 2
