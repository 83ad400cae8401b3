"""Demo data: territories, partner organisations and the demo accounts of the README.

Every function is idempotent: `seed_demo` can run on every `make demo`.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from coordinators.models import CoordinatorProfile
from territories.loader import load_territories
from territories.models import Commune, Department

from .events import seed_events
from .notifications import seed_notifications
from .pathways import seed_pathways
from .register import seed_register

DEMO_PASSWORD = "demo-reseau-2026"
ALL_DEPARTMENTS = ["75", "77", "78", "91", "92", "93", "94", "95"]
DEPARTMENT_NAMES = {
    "75": "de Paris",
    "77": "de Seine-et-Marne",
    "78": "des Yvelines",
    "91": "de l'Essonne",
    "92": "des Hauts-de-Seine",
    "93": "de Seine-Saint-Denis",
    "94": "du Val-de-Marne",
    "95": "du Val-d'Oise",
}

# (name, short name, kind, départements covered)
ORGANISATIONS = [
    ("PromoSanté Île-de-France", "PromoSanté IdF", Organisation.Kind.PROMOSANTE, ALL_DEPARTMENTS),
    (
        "Agence régionale de santé Île-de-France — siège",
        "ARS siège",
        Organisation.Kind.ARS_HQ,
        ALL_DEPARTMENTS,
    ),
    *[
        (
            f"ARS Île-de-France — délégation départementale {DEPARTMENT_NAMES[code]}",
            f"ARS DD {code}",
            Organisation.Kind.ARS_DD,
            [code],
        )
        for code in ALL_DEPARTMENTS
    ],
    ("Profession Banlieue", "CRPV 93", Organisation.Kind.CRPV, ["93"]),
    (
        "Pôle ressources ville et développement social du Val-d'Oise",
        "CRPV 95",
        Organisation.Kind.CRPV,
        ["95"],
    ),
    (
        "Centre de ressources politique de la ville de l'Essonne",
        "CRPV 91",
        Organisation.Kind.CRPV,
        ["91"],
    ),
    (
        "Préfecture de la région Île-de-France — politique de la ville",
        "Préfecture",
        Organisation.Kind.PREFECTURE,
        ALL_DEPARTMENTS,
    ),
]

# e-mail, first name, last name, organisation short name or None, coordinator commune or None
DEMO_ACCOUNTS = [
    ("coordinatrice@demo.example.org", "Awa", "Diallo", None, "93066"),
    ("coordinateur@demo.example.org", "Julien", "Moreau", None, "95585"),
    ("equipe@demo.example.org", "Claire", "Lambert", "PromoSanté IdF", None),
    ("ars@demo.example.org", "Nadia", "Benali", "ARS siège", None),
    ("dd93@demo.example.org", "Marc", "Lefèvre", "ARS DD 93", None),
    ("crpv95@demo.example.org", "Sophie", "Garnier", "CRPV 95", None),
    ("admin@demo.example.org", "Admin", "Plateforme", "PromoSanté IdF", None),
]
COORDINATOR_DETAILS = {
    "coordinatrice@demo.example.org": ("Ville de Saint-Denis", "Coordinatrice CLS et ASV"),
    "coordinateur@demo.example.org": ("Ville de Sarcelles", "Coordinateur du CLSM"),
}


def seed_organisations():
    departments = {d.code: d for d in Department.objects.all()}
    organisations = {}
    for name, short_name, kind, codes in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind}
        )
        org.departments.set([departments[c] for c in codes])
        organisations[short_name] = org
    return organisations


def seed_accounts(organisations):
    communes = {c.code_insee: c for c in Commune.objects.filter(code_insee__in=["93066", "95585"])}
    users = {}
    for email, first_name, last_name, org_name, commune_code in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
            )
        if email.startswith("admin@"):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if org_name:
            Membership.objects.get_or_create(user=user, organisation=organisations[org_name])
        if commune_code:
            employer, job_title = COORDINATOR_DETAILS[email]
            CoordinatorProfile.objects.update_or_create(
                user=user,
                defaults={
                    "commune": communes[commune_code],
                    "employer": employer,
                    "job_title": job_title,
                    "status": CoordinatorProfile.Status.APPROVED,
                    "reviewed_at": timezone.now(),
                },
            )
        users[email] = user
    return users


@transaction.atomic
def seed_demo():
    territories = load_territories()
    organisations = seed_organisations()
    users = seed_accounts(organisations)
    register = seed_register()
    events = seed_events()  # the agenda builds on the register
    notifications = seed_notifications()  # reminders of the demo's registrations
    pathways = seed_pathways()  # offers and progress build on the agenda
    return {
        **territories,
        "structures": len(organisations),
        "comptes de démonstration": len(users),
        **register,
        **events,
        **notifications,
        **pathways,
    }
