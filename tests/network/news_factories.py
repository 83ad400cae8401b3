"""Posts of the news board for the tests: one through the service, many at once (bulk)."""

import datetime

from django.utils import timezone

from accounts.access import access_for
from accounts.models import Organisation
from network.models.news import NewsPost
from network.services.news import news_save
from territories.models import Commune, Department

from ..factories import CoordinatorProfileFactory, PostFactory, SchemeFactory, TenureFactory


def coordinator_in(code, **profile):
    """An approved coordinator holding a post of a scheme of département `code` today, working
    in a commune of it."""
    place = Commune.objects.filter(department__code=code).order_by("code_insee").first()
    profile.setdefault("commune", place)
    person = CoordinatorProfileFactory(**profile).user
    scheme = SchemeFactory(department=Department.objects.get(code=code))
    TenureFactory(person=person, post=PostFactory(schemes=[scheme]))
    return person


def publish(author, *, codes=(), organisation=None, publish=True, **fields):
    """A post written by `author` (staff or partner) for départements `codes`."""
    access = access_for(author)
    organisation = organisation or next(
        (o for o in access.organisations if o.kind != Organisation.Kind.ARS_HQ), None
    )
    fields.setdefault("title", "Une actualité")
    fields.setdefault("body", "Un texte.")
    post = NewsPost(author=author, organisation=organisation, **fields)
    return news_save(
        post=post,
        departments=list(Department.objects.filter(code__in=codes)),
        access=access,
        publish=publish,
    )


def bulk_posts(count, organisation, *, codes=("95",)):
    """`count` published posts at once, half regional, half for `codes`."""
    now = timezone.now()
    posts = NewsPost.objects.bulk_create(
        NewsPost(
            title=f"Actualité n° {i}",
            body="Un texte **gras**.",
            category=NewsPost.Category.choices[i % 5][0],
            organisation=organisation,
            status=NewsPost.Status.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=i),
            pinned=i % 97 == 0,
        )
        for i in range(count)
    )
    departments = list(Department.objects.filter(code__in=codes))
    NewsPost.departments.through.objects.bulk_create(
        NewsPost.departments.through(newspost_id=post.pk, department_id=d.pk)
        for post in posts[::2]
        for d in departments
    )
    return posts
