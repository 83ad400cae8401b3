"""Packs for elected officials and managers, shared by a link that needs no account.

The team assembles packs (`pack_save`, `pack_item_add`, `pack_item_remove`, `pack_item_move`);
a coordinator (or the team) shares a published pack (`pack_link_create`), revokes a link
(`pack_link_revoke`); the shared page counts its views (`pack_link_opened`). Who may do what is
checked by the pages (`@requires`, `selectors.packs`); these functions keep the rules of packs
and links and refuse with a French message (`PackError`)."""

import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from ..models.library import Resource
from ..models.packs import Pack, PackItem, PackLink

TITLE_MAX_LENGTH = 200
AUDIENCE_MAX_LENGTH = 300
INTRODUCTION_MAX_LENGTH = 10_000
NOTE_MAX_LENGTH = 300
LABEL_MAX_LENGTH = 200
LINK_DAYS = 90  # a link's life unless the sharer chooses another end
LINK_MAX_DAYS = 365
NOT_SHAREABLE = (
    "« {title} » n’est pas ouverte au public sans compte (ou n’est pas publiée) : le lien d’un "
    "pack l’ouvrirait à tous. Seules les ressources publiées « tout public » entrent dans un pack."
)


class PackError(Exception):
    """A change packs refuse; the French message is shown as it is."""


def is_shareable(resource) -> bool:
    """Whether a resource may be opened through a pack's link: published and public."""
    return resource.is_published and resource.audience == Resource.Audience.PUBLIC


def _clean_text(value, *, max_length, empty, too_long):
    value = (value or "").strip()
    if empty and not value:
        raise PackError(empty)
    if len(value) > max_length:
        raise PackError(too_long)
    return value


@transaction.atomic
def pack_save(*, pack: Pack) -> Pack:
    """Create or change a pack (an unsaved or changed instance). A pack is published only with
    at least one resource that its link would show."""
    pack.title = _clean_text(
        pack.title,
        max_length=TITLE_MAX_LENGTH,
        empty="Donnez un titre au pack.",
        too_long=f"Un titre fait au plus {TITLE_MAX_LENGTH} caractères.",
    )
    pack.audience_line = _clean_text(
        pack.audience_line,
        max_length=AUDIENCE_MAX_LENGTH,
        empty="Dites en une phrase à qui ce pack s’adresse.",
        too_long=f"« Pour qui » tient en {AUDIENCE_MAX_LENGTH} caractères au plus.",
    )
    pack.introduction = _clean_text(
        pack.introduction,
        max_length=INTRODUCTION_MAX_LENGTH,
        empty=None,
        too_long=f"L’introduction fait au plus {INTRODUCTION_MAX_LENGTH:,} caractères.".replace(
            ",", "\u202f"
        ),
    )
    if pack.is_published:
        shown = (
            pack.pk
            and PackItem.objects.filter(
                pack=pack, resource__is_published=True, resource__audience=Resource.Audience.PUBLIC
            ).exists()
        )
        if not shown:
            raise PackError(
                "Ajoutez au moins une ressource publique au pack avant de le publier : son lien "
                "n’aurait rien à montrer (ou décochez « publié » pour le garder en brouillon)."
            )
    pack.save()
    return pack


@transaction.atomic
def pack_item_add(*, pack: Pack, resource: Resource, note: str = "") -> PackItem:
    """Add a resource at the end of a pack. Only a published, public resource goes in: the
    pack's link opens it to people without an account."""
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    if not is_shareable(resource):
        raise PackError(NOT_SHAREABLE.format(title=resource.title))
    if pack.items.filter(resource=resource).exists():
        raise PackError(f"« {resource.title} » est déjà dans ce pack.")
    note = _clean_text(
        note,
        max_length=NOTE_MAX_LENGTH,
        empty=None,
        too_long=f"La note tient en {NOTE_MAX_LENGTH} caractères au plus.",
    )
    last = pack.items.aggregate(last=Max("position"))["last"]
    return PackItem.objects.create(
        pack=pack, resource=resource, note=note, position=0 if last is None else last + 1
    )


@transaction.atomic
def pack_item_remove(*, item: PackItem) -> None:
    """Take a resource out of its pack. The last resource a published pack shows stays: return
    the pack to draft first."""
    pack = Pack.objects.select_for_update().get(pk=item.pack_id)
    others = pack.items.exclude(pk=item.pk).filter(
        resource__is_published=True, resource__audience=Resource.Audience.PUBLIC
    )
    if pack.is_published and not others.exists():
        raise PackError(
            "C’est la dernière ressource que montre ce pack publié : repassez le pack en "
            "brouillon avant de la retirer."
        )
    item.delete()


@transaction.atomic
def pack_item_move(*, item: PackItem, up: bool) -> None:
    """Move a resource one place up or down in its pack (nothing at either end)."""
    Pack.objects.select_for_update().get(pk=item.pack_id)
    items = list(PackItem.objects.filter(pack_id=item.pack_id).order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        other.position = position
    PackItem.objects.bulk_update(items, ["position"])


def default_expiry(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=LINK_DAYS)


def _end_of(day: date) -> datetime:
    """A link valid "until" a day works all that day (Paris time)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@transaction.atomic
def pack_link_create(
    *, pack: Pack, person, label: str, expires_on: date | None = None, today: date | None = None
) -> PackLink:
    """A link to a published pack for `label` (who it is for), valid until `expires_on`
    included (90 days by default, a year at most, never a past day)."""
    today = today or timezone.localdate()
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    if not pack.is_published:
        raise PackError("Ce pack n’est pas publié : il ne peut pas encore être partagé.")
    label = _clean_text(
        label,
        max_length=LABEL_MAX_LENGTH,
        empty="Dites pour qui est ce lien (par exemple « Conseil municipal de Sarcelles ») : "
        "vous le reconnaîtrez dans vos liens.",
        too_long=f"« Pour qui » tient en {LABEL_MAX_LENGTH} caractères au plus.",
    )
    expires_on = expires_on or default_expiry(today)
    if expires_on < today:
        raise PackError("Cette date est passée : choisissez une date à partir d’aujourd’hui.")
    latest = today + timedelta(days=LINK_MAX_DAYS)
    if expires_on > latest:
        raise PackError(
            f"Un lien dure un an au plus : choisissez une date jusqu’au {latest:%d/%m/%Y}."
        )
    return PackLink.objects.create(
        pack=pack,
        created_by=person,
        label=label,
        token=secrets.token_urlsafe(32),
        expires_at=_end_of(expires_on),
    )


@transaction.atomic
def pack_link_revoke(*, link: PackLink, person) -> PackLink:
    """The sharer stops their link: it no longer opens anything."""
    link = PackLink.objects.select_for_update().get(pk=link.pk)
    if link.created_by_id != person.pk:
        raise PackError("Seule la personne qui a partagé ce lien peut le révoquer.")
    if link.revoked_at is not None:
        raise PackError("Ce lien est déjà révoqué.")
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    return link


def pack_link_opened(*, link: PackLink) -> None:
    """Count a view of the shared page: one UPDATE adding 1 in the database (no read, so two
    visitors at once are both counted). Opening a document from the page does not count again."""
    PackLink.objects.filter(pk=link.pk).update(
        open_count=F("open_count") + 1, last_opened_at=timezone.now()
    )
