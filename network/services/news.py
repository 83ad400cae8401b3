"""Writes of the news board (/actualites/): a post saved (draft or published), deleted, and a
person's secret feed address renewed.

Who may open which page is checked by the views (`network.selectors.news`); these functions keep
the board's rules whoever calls them and refuse with a French message (`NewsError`): a post
speaks for an organisation its writer may publish for, a partner's post concerns départements of
that organisation only, only the team pins, an expiry date is not in the past when it is set."""

from django.db import transaction
from django.utils import timezone

from accounts.access import TEAM, Role

from ..models.news import NewsFeed, NewsPost

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000


class NewsError(Exception):
    """A change the board refuses; the French message is shown as it is."""


def _department_names(departments):
    return ", ".join(f"{d.name} ({d.code})" for d in sorted(departments, key=lambda d: d.code))


def _check_territory(post, departments, access):
    """The organisation is one the writer publishes for; a partner's post concerns some of its
    départements (a regional post is the team's)."""
    organisations = {org.pk: org for org in access.publishing_organisations}
    if post.organisation_id not in organisations:
        raise NewsError("Vous ne pouvez pas publier au nom de cette structure.")
    if access.role in TEAM:
        return
    covered = {d.pk for d in organisations[post.organisation_id].departments.all()}
    if not departments:
        raise NewsError(
            "Choisissez le ou les départements concernés : une actualité pour toute la région "
            "est publiée par l’équipe PromoSanté."
        )
    outside = [d for d in departments if d.pk not in covered]
    if outside:
        raise NewsError(
            f"{post.organisation} publie pour ses départements seulement : "
            f"{_department_names(outside)} n’en fait pas partie."
        )


@transaction.atomic
def news_save(*, post: NewsPost, departments=(), access, publish: bool, now=None) -> NewsPost:
    """Create or change a post (an unsaved or changed instance, `author` and `organisation` set)
    for `departments` (none: the whole region), published or kept as a draft. The first
    publication dates it; a draft published again keeps its first date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if access.role not in TEAM and access.role != Role.PARTNER:
        raise NewsError("Seules l’équipe PromoSanté et les structures partenaires publient.")
    post.title = " ".join((post.title or "").split())
    if not post.title:
        raise NewsError("Donnez un titre à l’actualité.")
    if len(post.title) > TITLE_MAX_LENGTH:
        raise NewsError(f"Un titre fait au plus {TITLE_MAX_LENGTH} caractères.")
    post.body = (post.body or "").strip()
    if len(post.body) > BODY_MAX_LENGTH:
        raise NewsError(
            f"Le texte fait au plus {BODY_MAX_LENGTH:,} caractères.".replace(",", "\u202f")
        )
    post.link = (post.link or "").strip()
    if post.link and not post.link.lower().startswith(("https://", "http://")):
        raise NewsError("Le lien doit être une adresse web (https://…).")
    if publish and not (post.body or post.link):
        raise NewsError("Écrivez un texte ou donnez un lien avant de publier.")
    departments = list(departments)
    _check_territory(post, departments, access)
    previous = NewsPost.objects.filter(pk=post.pk).values("pinned", "expires_on").first()
    if access.role not in TEAM:  # only the team pins: a partner keeps what the team chose
        post.pinned = previous["pinned"] if previous else False
    changed_expiry = previous is None or previous["expires_on"] != post.expires_on
    if post.expires_on and changed_expiry and post.expires_on < today:
        raise NewsError("La date d’expiration est passée : choisissez aujourd’hui ou plus tard.")
    if publish:
        post.status = NewsPost.Status.PUBLISHED
        post.published_at = post.published_at or now
    else:
        post.status = NewsPost.Status.DRAFT
    post.save()
    post.departments.set(departments)
    return post


@transaction.atomic
def news_delete(*, post: NewsPost) -> None:
    post.delete()


@transaction.atomic
def news_feed_renew(*, user) -> NewsFeed:
    """Give the person a secret feed address, or a new one: the old one stops working."""
    token = NewsFeed._meta.get_field("token").get_default()
    feed, created = NewsFeed.objects.get_or_create(user=user, defaults={"token": token})
    if not created:
        feed.token = token
        feed.save(update_fields=["token", "created_at"])
    return feed
