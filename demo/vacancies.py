"""Vacancies (issue #13, `data/vacancies.yaml`): three open vacancies on posts of the register
vacant today, and one closed by an arrival recorded on its post (through `post_arrival`: a
coordinator of the same département takes it on too), dated over the last weeks. Each is
published through the register's service on a post vacant on the day of its publication, by the
team or by the post's last holder when they left it less than 90 days before. A vacancy already
there (by its description) is left as it is: seeding twice, even on another day, adds
nothing."""

from datetime import datetime, time, timedelta
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from coordinators import services as register_services
from coordinators.models import Scheme, Tenure, Vacancy
from coordinators.selectors import POST_VACANT, posts_at, tenures_in_post
from coordinators.vacancies import PUBLISHER_DAYS, vacancy_defaults, vacancy_publish
from core.text import fold

from . import loaders
from .register import register_counts


class Publisher(StrEnum):
    STAFF = "staff"
    LEAVER = "leaver"


class Contact(StrEnum):
    EMAIL = "email"
    URL = "url"


@loaders.record
class VacancyData:
    kind: Scheme.Kind
    department: str
    publisher: Publisher
    published_days_ago: int
    open_days: int
    fte: str
    contact_name: str
    contact: Contact
    description: str
    arrival_days_ago: int | None = None


@loaders.record
class VacanciesData:
    vacancies: list[VacancyData]


def _vacant_posts(item, day, today, taken):
    """Posts of the item's scheme type vacant on `day` and today, nobody arriving after `day`,
    not already chosen: those of the item's département first, then the others, by département
    and first scheme's name (the register draws which posts are vacant)."""
    vacant_today = posts_at(today).filter(status_at=POST_VACANT).values("pk")
    coming = Tenure.objects.filter(started_on__gt=day).values("post")
    posts = (
        posts_at(day)
        .filter(status_at=POST_VACANT, pk__in=vacant_today)
        .filter(pk__in=Scheme.posts.through.objects.filter(scheme__kind=item.kind).values("post"))
        .exclude(pk__in=coming)
        .exclude(pk__in=taken)
        .prefetch_related("schemes__department")
    )

    def rank(post):
        first = min(post.schemes.all(), key=lambda scheme: scheme.name)
        code = first.department.code
        return (code != item.department, code, first.name, post.pk)

    return sorted(posts, key=rank)


def _leaver(post, day):
    """The post's last holder, if they left it within 90 days before `day`."""
    left = (
        Tenure.objects.filter(post=post, person__isnull=False, ended_on__lte=day)
        .filter(ended_on__gte=day - timedelta(days=PUBLISHER_DAYS))
        .select_related("person")
        .order_by("-ended_on")
        .first()
    )
    return left.person if left else None


def _choose(item, day, today, taken, staff):
    """(post, publisher): for a leaver, a post its holder left recently (in the item's
    département if there is one); the team otherwise, or when no such post is vacant."""
    posts = _vacant_posts(item, day, today, taken)
    if item.publisher == Publisher.LEAVER:
        for post in posts:
            person = _leaver(post, day)
            if person is not None:
                return post, person
    if not posts:
        raise loaders.DataError(
            f"demo/data/vacancies.yaml : aucun poste {item.kind} vacant depuis le {day:%d/%m/%Y}."
        )
    return posts[0], staff


def _contact(item, commune):
    place = fold(commune.name).replace(" ", "-")
    if item.contact == Contact.URL:
        return {"contact_url": f"https://www.{place}.example.org/offres-d-emploi/coordination"}
    return {"contact_email": f"recrutement@{place}.example.org"}


def seed_vacancies(*, today=None):
    """Idempotent; returns the figures `seed_demo` prints."""
    today = today or timezone.localdate()
    data = loaders.read_yaml("vacancies.yaml", VacanciesData)
    staff = User.objects.get(email=loaders.accounts().account("staff").email)
    existing = set(Vacancy.objects.values_list("description", flat=True))
    taken = set(Vacancy.objects.values_list("post_id", flat=True))
    for index, item in enumerate(data.vacancies):
        description = item.description.strip()
        if description in existing:
            continue
        day = today - timedelta(days=item.published_days_ago)
        post, publisher = _choose(item, day, today, taken, staff)
        taken.add(post.pk)
        fields = vacancy_defaults(post, day)
        vacancy_publish(
            post=post,
            by=publisher,
            today=day,
            at=timezone.make_aware(datetime.combine(day, time(10, index))),
            **{
                **fields,
                "description": description,
                "fte": item.fte,
                "contact_name": item.contact_name,
                "closes_on": day + timedelta(days=item.open_days),
                **_contact(item, fields["commune"]),
            },
        )
        if item.arrival_days_ago is not None:
            _arrive(post, item.arrival_days_ago, today)
    vacancies = Vacancy.objects.all()
    listed = vacancies.filter(status=Vacancy.Status.OPEN, closes_on__gte=today)
    return {
        # The register's figures again: the arrival changed them after the register's seeding
        # counted; `seed_demo` prints these, the same on every run.
        **register_counts(today),
        "offres d’emploi ouvertes": listed.count(),
        "offres d’emploi closes": vacancies.filter(
            Q(status=Vacancy.Status.CLOSED) | Q(closes_on__lt=today)
        ).count(),
    }


def _arrive(post, days_ago, today):
    """A coordinator in post in the same département takes on the post too (a shared post), as
    staff record it: the register closes its vacancy. Someone already in post, with an earlier
    post in that département, so that the other parts of the demo, drawn from the coordinators
    in post, draw the same people when seeded again."""
    started_on = today - timedelta(days=days_ago)
    department = post.schemes.values_list("department_id", flat=True).first()
    demo = [account.email for account in loaders.accounts().accounts]
    tenure = (
        tenures_in_post(started_on)
        .filter(post__schemes__department_id=department, started_on__lt=started_on)
        .filter(ended_on__isnull=True)  # still there today
        .exclude(person__email__in=demo)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person_id")
        .first()
    )
    if tenure is None:
        raise loaders.DataError(
            f"demo/data/vacancies.yaml : personne en poste dans le département du poste "
            f"{post.pk} pour y arriver le {started_on:%d/%m/%Y}."
        )
    register_services.post_arrival(post=post, person=tenure.person, started_on=started_on)
