"""Vacancies for the tests: one published through the service, or thousands in bulk."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from coordinators.models import Post, Scheme, Vacancy
from coordinators.vacancies import vacancy_publish
from territories.models import Commune, Department
from tests.factories import PostFactory, SchemeFactory, commune

SAINT_DENIS, SARCELLES = "93066", "95585"


def vacancy_fields(**changes):
    """What a publisher types for a CLS post in Saint-Denis, with `changes` on top."""
    return {
        "title": "Coordinateur·rice du CLS de Saint-Denis",
        "description": "## Missions\n\n- Animer le contrat local de santé\n- Suivre les actions",
        "fte": "0.8",
        "employer": "Ville de Saint-Denis",
        "commune": commune(SAINT_DENIS),
        "contact_name": "Direction de la santé",
        "contact_email": "recrutement@ville-saint-denis.example.org",
        "contact_url": "",
        "closes_on": timezone.localdate() + timedelta(days=30),
        **changes,
    }


def vacant_post(**scheme):
    """A post of a CLS in Saint-Denis, open since 2015, nobody ever held it: vacant."""
    return PostFactory(schemes=[SchemeFactory(**scheme)] if scheme else None)


def publish(post=None, by=None, **changes):
    return vacancy_publish(post=post or vacant_post(), by=by, **vacancy_fields(**changes))


def bulk_vacancies(count, *, department_code="93", kind=Scheme.Kind.CLS):
    """`count` open vacancies, each on a vacant post of a scheme of its own: bulk inserts."""
    department = Department.objects.get(code=department_code)
    communes = list(Commune.objects.filter(department=department, kind="commune-actuelle")[:20])
    start = Scheme.objects.count()
    schemes = Scheme.objects.bulk_create(
        Scheme(
            kind=kind,
            name=f"{kind} n° {start + i}",
            department=department,
            carrier_name="Ville",
            carrier_kind=Scheme.CarrierKind.COMMUNE,
        )
        for i in range(count)
    )
    posts = Post.objects.bulk_create(Post(opened_on="2015-01-01") for _ in range(count))
    Post.schemes.through.objects.bulk_create(
        Post.schemes.through(post_id=post.pk, scheme_id=scheme.pk)
        for post, scheme in zip(posts, schemes, strict=True)
    )
    now, today = timezone.now(), timezone.localdate()
    vacancies = Vacancy.objects.bulk_create(
        Vacancy(
            post=post,
            title=f"Coordinateur·rice n° {i}",
            description="Animer le contrat.",
            fte="1",
            employer="Ville",
            commune=communes[i % len(communes)],
            contact_name="Direction de la santé",
            contact_email="rh@ville.example.org",
            closes_on=today + timedelta(days=10 + i % 50),
            published_at=now - timedelta(minutes=i),
        )
        for i, post in enumerate(posts)
    )
    if connection.vendor == "postgresql":
        # The planner learns the tables' new sizes: planned as near-empty tables, the list's
        # count at 2,000 vacancies ran as nested loops for over 20 minutes in a suite.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE coordinators_vacancy, coordinators_post, coordinators_post_schemes, "
                "coordinators_scheme, coordinators_tenure"
            )
    return vacancies
