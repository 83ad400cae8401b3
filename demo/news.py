"""The news board's demo (`data/news.yaml`): about twenty posts by the team, the CRPV 95 and the
ARS DD 93, of every category, two pinned, two expired, dated over the last weeks; written
through the board's service. A post already there (by its title) is left as it is.

No weekly digest is planned here: seeding e-mails only the demo's own messages (and the figures
of the deliveries, printed before this seed runs, stay the same when it runs again)."""

from dataclasses import field
from datetime import timedelta

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.access import PUBLISHING_KINDS, access_for
from accounts.models import Organisation, User
from network.models.news import NewsPost
from network.services.news import news_save
from territories.models import Department

from . import loaders

PROMOSANTE = Organisation.Kind.PROMOSANTE


@loaders.record
class PostData:
    title: str
    by: str  # an account key
    category: NewsPost.Category
    body: str
    organisation: str = ""  # a short name; by default the author's
    departments: list[str] = field(default_factory=list)
    pinned: bool = False
    days_ago: int = 7
    expires_in_days: int | None = None
    link: str = ""
    link_to: str = ""  # a URL name of the platform ("vacancies")


@loaders.record
class NewsData:
    posts: list[PostData]


def _link(item):
    if not item.link_to:
        return item.link
    try:
        return settings.SITE_URL + reverse(item.link_to)
    except NoReverseMatch:  # the page is not there (yet): a post without a link
        return ""


def seed_news(*, now=None):
    """Idempotent. Returns the figures `seed_demo` prints."""
    now = now or timezone.now()
    data = loaders.read_yaml("news.yaml", NewsData)
    accounts = {a.key: a.email for a in loaders.accounts().accounts}
    organisations = {o.short_name: o for o in Organisation.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    existing = set(NewsPost.objects.values_list("title", flat=True))
    for index, item in enumerate(data.posts):
        where = f"demo/data/news.yaml: posts[{index}]"
        if item.title in existing:
            continue
        if item.by not in accounts:
            raise loaders.DataError(f"{where}.by : « {item.by} » n'est pas un compte.")
        author = User.objects.get(email=accounts[item.by])
        access = access_for(author)
        if item.organisation:
            organisation = organisations[item.organisation]
        else:
            organisation = next(
                (o for o in access.organisations if o.kind in PUBLISHING_KINDS | {PROMOSANTE}),
                None,
            )
        published_at = now - timedelta(days=item.days_ago)
        post = news_save(
            post=NewsPost(
                author=author,
                organisation=organisation,
                title=item.title,
                body=item.body.strip(),
                category=item.category,
                pinned=item.pinned,
                link=_link(item),
            ),
            departments=[departments[code] for code in item.departments],
            access=access,
            publish=True,
        )
        expires_on = None
        if item.expires_in_days is not None:
            expires_on = timezone.localdate(now) + timedelta(days=item.expires_in_days)
        # History: dated when it was published, some already expired.
        NewsPost.objects.filter(pk=post.pk).update(
            published_at=published_at, created_at=published_at, expires_on=expires_on
        )
    today = timezone.localdate(now)
    return {
        "actualités": NewsPost.objects.count(),
        "actualités épinglées": NewsPost.objects.filter(pinned=True).count(),
        "actualités expirées": NewsPost.objects.filter(expires_on__lt=today).count(),
    }
