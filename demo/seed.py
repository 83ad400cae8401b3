"""The demo of `make demo`: territories, partner organisations, the demo accounts of the README,
and the register, the catalogue, a year of events, notifications and pathways built on them.

Every function is idempotent: `seed_demo` can run on every `make demo`. The demo's texts, names
and figures are in `data/` (see `loaders.py`); the modules keep the logic.
"""

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from coordinators.models import CoordinatorProfile
from territories.loader import load_territories
from territories.models import Commune, Department

from . import loaders
from .catalogue import seed_catalogue
from .dashboards import seed_dashboards
from .events import event_counts, seed_events
from .library import seed_library
from .news import seed_news
from .notes import seed_notes
from .notifications import seed_notifications
from .packs import seed_packs
from .pathways import pathway_counts, seed_pathways
from .peers import seed_peer_offers
from .questions import seed_questions
from .register import seed_register
from .resource_requests import seed_resource_requests
from .tutoring import seed_tutoring
from .vacancies import seed_vacancies

_accounts = loaders.accounts()
DEMO_PASSWORD = _accounts.password
# (e-mail, first name, last name, organisation short name or None, coordinator commune or None)
DEMO_ACCOUNTS = [
    (a.email, a.first_name, a.last_name, a.organisation, a.commune) for a in _accounts.accounts
]


def seed_organisations():
    departments = {d.code: d for d in Department.objects.all()}
    organisations = {}
    for data in loaders.accounts().organisations:
        org, _ = Organisation.objects.update_or_create(
            name=data.name, defaults={"short_name": data.short_name, "kind": data.kind}
        )
        org.departments.set([departments[c] for c in data.departments])
        organisations[data.short_name] = org
    return organisations


def seed_accounts(organisations):
    accounts = loaders.accounts().accounts
    codes = [a.commune for a in accounts if a.commune]
    communes = {c.code_insee: c for c in Commune.objects.filter(code_insee__in=codes)}
    users = {}
    for account in accounts:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email,
                password=DEMO_PASSWORD,
                first_name=account.first_name,
                last_name=account.last_name,
            )
        if account.superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if account.organisation:
            Membership.objects.get_or_create(
                user=user, organisation=organisations[account.organisation]
            )
        if account.commune:
            CoordinatorProfile.objects.update_or_create(
                user=user,
                defaults={
                    "commune": communes[account.commune],
                    "employer": account.employer,
                    "job_title": account.job_title,
                    "can_help_with": account.can_help_with,
                    "looking_for": account.looking_for,
                    "directory_fields": list(account.directory_fields),
                    "status": CoordinatorProfile.Status.APPROVED,
                    "reviewed_at": timezone.now(),
                },
            )
        users[account.email] = user
    return users


def refresh_planner_statistics():
    """A bulk load: let PostgreSQL's planner know the tables' new sizes now (inside the seeding
    transaction, which it sees), rather than when autovacuum gets to them. With the statistics of
    empty tables, it plans nested loops that made some pages take minutes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@transaction.atomic
def seed_demo():
    """Idempotent. Returns the figures `seed_demo` prints: what the demo holds once seeded (the
    same when it runs again)."""
    territories = load_territories()
    organisations = seed_organisations()
    users = seed_accounts(organisations)
    register = seed_register()
    seed_catalogue()  # the events are sessions of its offers
    peers = seed_peer_offers(users)  # names the catalogue's competencies, the register's topics
    seed_events()  # the agenda builds on the register
    library = seed_library()  # replays and slides of past webinars
    resource_requests = seed_resource_requests()
    packs = seed_packs()
    notifications = seed_notifications()  # reminders, and a webinar an hour away
    seed_pathways()  # progress builds on the agenda's attendance
    tutoring = seed_tutoring()  # pairs complete pathways' tutoring steps
    notes = seed_notes()  # some prepare the agenda's site visits
    questions = seed_questions()
    news = seed_news()
    vacancies = seed_vacancies()
    dashboards = seed_dashboards()  # the two years before: every dashboard figure, 3-year trend
    refresh_planner_statistics()
    return {
        **territories,
        "structures": len(organisations),
        "comptes de démonstration": len(users),
        **register,
        **event_counts(),
        **notifications,
        **pathway_counts(),  # counted last: active pairs' newcomers follow a pathway
        **peers,
        **tutoring,
        **notes,
        **questions,
        **library,
        **resource_requests,
        **packs,
        **news,
        **vacancies,
        **dashboards,
    }
