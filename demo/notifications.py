"""Demo notifications: the welcome sequence, reminders of the demo's upcoming registrations, and
a short webinar an hour away so that reminders really fire while `make demo` runs."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from agenda import reminders
from agenda import services as training_services
from agenda.models import Event, Registration
from notifications import onboarding
from notifications.models import Delivery, Sequence, SequenceRun, SequenceStep

WELCOME = "Bienvenue aux nouveaux coordinateur·rices"
NEW_DEMO = "coordinatrice@demo.example.org"
EXPERIENCED_DEMO = "coordinateur@demo.example.org"
TOUR = "Webinaire : prise en main de la plateforme"

# (delay in days, subject, body, condition)
WELCOME_STEPS = [
    (
        0,
        "Bienvenue dans le réseau des coordinateur·rices, {prenom}",
        "Bonjour {prenom},\n\n"
        "Bienvenue dans le réseau régional des coordinateur·rices ASV, CLS et CLSM "
        "d'Île-de-France ! Vous n'êtes pas seul·e : plus de 200 collègues font le même métier "
        "que vous, et l'équipe de PromoSanté est là pour vous accompagner.\n\n"
        "Pour commencer, *La boussole de la démarche locale en santé*, écrite par des "
        "coordinateur·rices pour les nouveaux, vous donne les repères du poste : demandez-la "
        "à l'équipe en répondant à cet e-mail.\n\n"
        "Votre espace : {lien_espace}",
        "",
    ),
    (
        3,
        "Complétez votre profil : les autres pourront vous trouver",
        "Bonjour {prenom},\n\n"
        "Un profil à jour (parcours, thématiques, ce que vous cherchez) permet à vos pairs et à "
        "l'équipe de vous proposer les bonnes rencontres et les bonnes formations.\n\n"
        "Mon profil : {lien_profil}",
        "profile_incomplete",
    ),
    (
        7,
        "Des pairs près de chez vous",
        "Bonjour {prenom},\n\n"
        "En {departement}, des coordinateur·rices expérimenté·es sont passé·es par là : "
        "{pairs_proches}. Un échange d'une heure au début fait gagner des mois : l'équipe peut "
        "vous mettre en relation, et un tutorat est possible.\n\n"
        "Répondez simplement à cet e-mail.",
        "",
    ),
    (
        14,
        "La prochaine journée d'accueil des nouveaux",
        "Bonjour {prenom},\n\n"
        "La journée d'accueil réunit les nouveaux coordinateur·rices, leur hiérarchie et leurs "
        "élu·es : {prochaine_journee_accueil}.\n\n"
        "S'inscrire : {lien_journee_accueil}",
        "no_welcome_day",
    ),
    (
        30,
        "Un mois dans le poste : comment ça va ?",
        "Bonjour {prenom},\n\n"
        "Cela fait un mois que vous avez pris votre poste ({dispositifs}). Une question, un "
        "doute, un besoin de formation ? Répondez à cet e-mail : l'équipe vous rappelle.\n\n"
        "L'agenda du réseau : {lien_agenda}",
        "",
    ),
    (
        90,
        "Trois mois : où en est votre parcours ?",
        "Bonjour {prenom},\n\n"
        "Trois mois déjà. Faites le point sur ce que vous avez suivi et sur la suite dans votre "
        "espace : {lien_espace}",
        "",
    ),
]


def seed_welcome_sequence():
    sequence, created = Sequence.objects.get_or_create(
        name=WELCOME, defaults={"trigger": "arrival", "newcomers_only": True}
    )
    if created:
        SequenceStep.objects.bulk_create(
            SequenceStep(
                sequence=sequence, delay_days=delay, subject=subject, body=body, condition=condition
            )
            for delay, subject, body, condition in WELCOME_STEPS
        )
    return sequence


def _tour_webinar(now, people):
    """An upcoming short webinar an hour away (a new one when the last has passed)."""
    event = Event.objects.filter(title=TOUR, starts_at__gt=now).first()
    if event is None:
        starts_at = (now + timedelta(minutes=65)).replace(second=0, microsecond=0)
        event = Event(
            kind=Event.Kind.WEBINAR,
            title=TOUR,
            description="Trente minutes pour découvrir l'agenda, les rappels et votre espace.",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=30),
            video_url="https://visio.example.org/prise-en-main",
            audiences=[Event.Audience.ALL],
            organiser=Organisation.objects.get(short_name="PromoSanté IdF"),
        )
        training_services.event_save(event=event, departments=[], topics=[])
    for person in people:
        if not event.registrations.filter(person=person).exists():
            training_services.event_register(event=event, person=person)
    return event


@transaction.atomic
def seed_notifications(*, now=None):
    now = now or timezone.now()
    sequence = seed_welcome_sequence()
    reminders.rules_seed_defaults()
    reminders.registrations_plan(
        Registration.objects.filter(
            event__starts_at__gt=now,
            event__status=Event.Status.PUBLISHED,
            status=Registration.Status.CONFIRMED,
        ).select_related("event", "person"),
        now=now,
    )
    users = get_user_model().objects.filter(email__in=[NEW_DEMO, EXPERIENCED_DEMO])
    newcomer = next((user for user in users if user.email == NEW_DEMO), None)
    if newcomer and not SequenceRun.objects.filter(sequence=sequence, person=newcomer).exists():
        run = SequenceRun.objects.create(sequence=sequence, person=newcomer, started_at=now)
        onboarding.run_plan(run, now=now)
    _tour_webinar(now, list(users))
    return {
        "envois planifiés": Delivery.objects.filter(status=Delivery.Status.DUE).count(),
        "séquences d'accompagnement": Sequence.objects.count(),
    }
