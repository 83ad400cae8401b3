"""Reads of the news board (/actualites/): who sees and edits which post, the board filtered,
a post's page, the latest for Mon espace, and the posts of a person's feeds.

Published posts are the network's (every member reads them by their address); the board shows
each person those that concern them: the region's, and those of the départements of their posts
(a coordinator: `coordinators.selectors.tenures_in_post`, or the commune of their profile when
they hold none), of their territory (a partner), or all (the team). A draft is seen by those who
may edit it: the team, and the partners of the organisation it speaks for."""

from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from accounts.access import TEAM, Role
from accounts.models import Organisation
from coordinators.models import CoordinatorProfile
from coordinators.selectors import tenures_in_post
from territories.models import Department

from ..models.news import NewsFeed, NewsPost

PUBLISHED = NewsPost.Status.PUBLISHED
DEPARTMENTS = NewsPost.departments.through

# The board's "Département" filter: who the post concerns.
MINE, EVERYWHERE, REGION = "", "tous", "region"


def can_publish(access):
    """The team, and the CRPV and ARS DD (for their départements)."""
    return access.can("news.publish") and (
        access.role in TEAM or bool(access.publishing_organisations)
    )


def editable_organisation_ids(access):
    """The organisations whose posts `access` edits (None: all, the team)."""
    if access.role in TEAM:
        return None
    if not access.can("news.publish"):
        return set()
    return {org.pk for org in access.publishing_organisations}


def can_edit_post(access, post):
    """The team edits every post; a partner those of its organisation (its author included)."""
    ids = editable_organisation_ids(access)
    return ids is None or post.organisation_id in ids


def can_pin(access):
    return access.role in TEAM


def publishing_organisations(access):
    """The organisations `access` may post for: the team any (PromoSanté first), a partner its
    CRPV or ARS DD."""
    if access.role in TEAM:
        promosante = Case(When(kind=Organisation.Kind.PROMOSANTE, then=Value(0)), default=Value(1))
        return Organisation.objects.order_by(promosante, "kind", "name").prefetch_related(
            "departments"
        )
    ids = editable_organisation_ids(access)
    return Organisation.objects.filter(pk__in=ids).prefetch_related("departments")


def departments_for(access, organisations=None):
    """The départements `access` may name on a post: all (the team), or those of its
    publishing organisations."""
    if access.role in TEAM:
        return Department.objects.order_by("code")
    return (
        Department.objects.filter(
            organisations__in=list(organisations or publishing_organisations(access))
        )
        .distinct()
        .order_by("code")
    )


def relevant_department_codes(access):
    """The départements whose posts concern `access` besides the region's (None: all of
    them)."""
    if access.role in TEAM:
        return None
    if access.role == Role.PARTNER:
        return set(access.department_codes or ())
    if access.role != Role.COORDINATOR:
        return set()
    return department_codes_of([access.user_id]).get(access.user_id, set())


def department_codes_of(person_ids):
    """{person id: codes of the départements of the posts they hold today}, or of the commune
    of their profile when they hold none (between two posts, not on the register yet); two
    queries whatever their number."""
    codes = {}
    for person_id, code in (
        tenures_in_post()
        .filter(person_id__in=person_ids)
        .values_list("person_id", "post__schemes__department__code")
    ):
        if code:
            codes.setdefault(person_id, set()).add(code)
    without_post = [pk for pk in person_ids if pk not in codes]
    if without_post:
        for person_id, code in CoordinatorProfile.objects.filter(
            user_id__in=without_post, commune__isnull=False
        ).values_list("user_id", "commune__department__code"):
            codes.setdefault(person_id, set()).add(code)
    return codes


def concerns(post, codes):
    """Whether `post` (its départements prefetched) concerns someone of `codes` (None: all)."""
    named = {d.code for d in post.departments.all()}
    return codes is None or not named or bool(named & codes)


def concerning(posts, codes):
    """`posts` of the region (no département) or of one of `codes` (None: all)."""
    if codes is None:
        return posts
    named = DEPARTMENTS.objects.filter(newspost_id=OuterRef("pk"))
    return posts.filter(~Exists(named) | Exists(named.filter(department__code__in=codes)))


def on_board(posts, today):
    """Published and not expired."""
    return posts.filter(status=PUBLISHED).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def posts_visible(access):
    """The posts `access` may open: published ones, and the drafts they may edit."""
    posts = NewsPost.objects.all()
    ids = editable_organisation_ids(access)
    if ids is None:
        return posts
    return posts.filter(Q(status=PUBLISHED) | Q(organisation_id__in=ids))


def with_details(posts):
    """What a post's card and page show, in a fixed number of queries."""
    return posts.select_related("author", "organisation").prefetch_related("departments")


def board(access, filters, today=None):
    """The board as `access` asks it (`network.forms.news.NewsFilterForm`): pinned first, then
    newest. `state`: "" the board (published, not expired), "archives" the expired posts they
    may edit (the team: all), "brouillons" their drafts."""
    today = today or timezone.localdate()
    state = filters.get("state") or ""
    if state == "archives":
        posts = posts_visible(access).filter(status=PUBLISHED, expires_on__lt=today)
        ids = editable_organisation_ids(access)
        if ids is not None:
            posts = posts.filter(Q(organisation_id__in=ids) | Q(author_id=access.user_id))
    elif state == "brouillons":
        posts = posts_visible(access).filter(status=NewsPost.Status.DRAFT)
        if editable_organisation_ids(access) == set():
            posts = posts.none()
    else:
        posts = on_board(NewsPost.objects.all(), today)
    if category := filters.get("category"):
        posts = posts.filter(category=category)
    department = filters.get("department") or MINE
    if department == MINE and not state:
        posts = concerning(posts, relevant_department_codes(access))
    elif department == REGION:
        posts = posts.exclude(Exists(DEPARTMENTS.objects.filter(newspost_id=OuterRef("pk"))))
    elif department not in (MINE, EVERYWHERE):
        named = DEPARTMENTS.objects.filter(newspost_id=OuterRef("pk"), department__code=department)
        posts = posts.filter(Exists(named))
    return with_details(posts).order_by("-pinned", "-published_at", "-pk")


def post_page(pk, access):
    """The post numbered `pk` if `access` may open it (else None), with what its page shows."""
    return with_details(posts_visible(access)).filter(pk=pk).first()


def news_for_space(access, limit=4):
    """For Mon espace: the latest posts on the reader's board (pinned first), two queries."""
    return list(board(access, {})[:limit])


def news_feed_of(user):
    """The person's secret feed address, or None before they create one."""
    return NewsFeed.objects.filter(user=user).first()


def feed_reader(token):
    """The person whose secret address `token` is, or None (renewed since, or account closed)."""
    feed = NewsFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def feed_posts(access, category=None, limit=50):
    """The posts a feed shows: the person's board (what concerns them), newest first."""
    filters = {"category": category} if category else {}
    return list(board(access, filters).order_by("-published_at", "-pk")[:limit])
