"""Reads on packs for elected officials and managers and on the links that share them."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from agenda.models import Event, GuestInvitation, Registration

from ..models.library import Resource
from ..models.packs import Pack, PackItem, PackLink

SHOWN = Q(resource__is_published=True, resource__audience=Resource.Audience.PUBLIC)
WELCOME_DAY_WINDOW = timedelta(days=90)


def shareable_resources():
    """The resources a pack may hold: published, open to the public without an account."""
    return Resource.objects.filter(is_published=True, audience=Resource.Audience.PUBLIC)


def packs_list(*, with_drafts: bool):
    """Packs (drafts too for those who edit them), each with `shown_count`: the resources its
    shared page shows, and `item_count`: all it holds."""
    packs = Pack.objects.all()
    if not with_drafts:
        packs = packs.filter(is_published=True)
    public = Q(
        items__resource__is_published=True, items__resource__audience=Resource.Audience.PUBLIC
    )
    return packs.annotate(
        item_count=Count("items", distinct=True),
        shown_count=Count("items", filter=public, distinct=True),
    ).order_by("title", "pk")


def pack_page(pk, *, with_drafts: bool):
    """One pack with its resources in order (all of them for those who edit it, each with
    `shown`; only those its link shows for others); None when hidden or unknown."""
    packs = Pack.objects.filter(pk=pk).select_related("created_by")
    if not with_drafts:
        packs = packs.filter(is_published=True)
    items = PackItem.objects.select_related("resource").order_by("position", "pk")
    if not with_drafts:
        items = items.filter(SHOWN)
    pack = packs.prefetch_related(Prefetch("items", items, to_attr="entries")).first()
    if pack is not None:
        for item in pack.entries:
            item.shown = item.resource.is_published and (
                item.resource.audience == Resource.Audience.PUBLIC
            )
    return pack


def resources_to_add(pack):
    """The shareable resources not yet in `pack`, for the team's searchable select."""
    return shareable_resources().exclude(pack_items__pack=pack).order_by("title", "pk")


def item_of(pack, item_pk):
    return PackItem.objects.filter(pack=pack, pk=item_pk).select_related("resource").first()


def links_of(person):
    """The links `person` shared, newest first, with their pack."""
    return PackLink.objects.filter(created_by=person).select_related("pack")


def link_of(person, pk):
    """One of `person`'s links; None when unknown or someone else's."""
    return links_of(person).filter(pk=pk).first()


def link_by_token(token):
    """The link a token opens (usable or not: the page says why not), with its pack and sharer;
    None when no link has that token."""
    if not token or len(token) > 64:
        return None
    return PackLink.objects.select_related("pack", "created_by").filter(token=token).first()


def link_state(link, now=None) -> str:
    """ "revoked", "expired" or "active"."""
    now = now or timezone.now()
    if link.revoked_at is not None:
        return "revoked"
    if now >= link.expires_at:
        return "expired"
    return "active"


def shared_items(link):
    """What the shared page shows: the pack's resources still public and published, in order.
    A pack back in draft shows nothing."""
    if not link.pack.is_published:
        return []
    return list(
        PackItem.objects.filter(SHOWN, pack_id=link.pack_id)
        .select_related("resource")
        .order_by("position", "pk")
    )


def shared_resource(link, resource_pk):
    """A resource opened from a shared page: only one of its pack, still public and published,
    and only while the pack is published; None otherwise."""
    if not link.pack.is_published:
        return None
    item = (
        PackItem.objects.filter(SHOWN, pack_id=link.pack_id, resource_id=resource_pk)
        .select_related("resource")
        .first()
    )
    return item.resource if item is not None else None


def welcome_day_to_follow(person, now=None):
    """The welcome day (the agenda's `is_welcome_day`) a person took part in or invited guests
    to, within 90 days before or after now, the most recent first; with `guests`: the people they
    invited to it, to whom a pack is the natural follow-up. None when there is none."""
    now = now or timezone.now()
    registered = Registration.objects.filter(
        event=OuterRef("pk"), person=person, status__in=Registration.ACTIVE
    )
    invited = GuestInvitation.objects.filter(event=OuterRef("pk"), invited_by=person)
    event = (
        Event.objects.filter(
            is_welcome_day=True,
            status=Event.Status.PUBLISHED,
            starts_at__gte=now - WELCOME_DAY_WINDOW,
            starts_at__lte=now + WELCOME_DAY_WINDOW,
        )
        .filter(Exists(registered) | Exists(invited))
        .order_by("-starts_at")
        .first()
    )
    if event is not None:
        event.guests = list(
            GuestInvitation.objects.filter(event=event, invited_by=person).order_by(
                "last_name", "first_name", "pk"
            )
        )
        event.is_past = event.starts_at <= now
    return event
