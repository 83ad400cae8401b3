"""Packs for the tests: a published pack of public resources, links, and many of each at once."""

import secrets
from datetime import timedelta

from django.utils import timezone

from resources.models import Resource
from resources.models.packs import Pack, PackItem, PackLink
from resources.services.packs import pack_item_add, pack_link_create, pack_save
from tests.learning.pathway_factories import ResourceFactory


def public_resource(**fields):
    return ResourceFactory(audience=Resource.Audience.PUBLIC, **fields)


def published_pack(*, resources=None, created_by=None, **fields):
    """A published pack holding `resources` (one public resource by default)."""
    pack = pack_save(
        pack=Pack(
            title=fields.pop("title", "Comprendre le CLS"),
            audience_line=fields.pop("audience_line", "Pour les élu·es d’une commune."),
            introduction=fields.pop("introduction", "Un **contrat local de santé**, c’est…"),
            created_by=created_by,
            **fields,
        )
    )
    for resource in resources if resources is not None else [public_resource()]:
        pack_item_add(pack=pack, resource=resource)
    pack.is_published = True
    return pack_save(pack=pack)


def share(pack, person, label="Conseil municipal de Sarcelles", **kwargs):
    return pack_link_create(pack=pack, person=person, label=label, **kwargs)


def bulk_items(pack, count):
    """`count` more public resources in `pack` (bulk: two queries)."""
    start = pack.items.count()
    resources = Resource.objects.bulk_create(
        Resource(
            title=f"Ressource publique n° {start + i}",
            kind=Resource.Kind.values[0],
            url="https://ressources.example.org/fiche",
            audience=Resource.Audience.PUBLIC,
            summary="Une fiche *courte*.",
        )
        for i in range(count)
    )
    PackItem.objects.bulk_create(
        PackItem(pack=pack, resource=resource, position=start + i, note=f"Note {i}")
        for i, resource in enumerate(resources)
    )


def bulk_packs(count, *, created_by=None):
    """`count` published packs of two public resources each."""
    resources = Resource.objects.bulk_create(
        Resource(
            title=f"Ressource de pack n° {i}",
            kind=Resource.Kind.values[0],
            url="https://ressources.example.org/fiche",
            audience=Resource.Audience.PUBLIC,
        )
        for i in range(2)
    )
    packs = Pack.objects.bulk_create(
        Pack(title=f"Pack n° {i}", audience_line="Pour les élu·es.", is_published=True)
        for i in range(count)
    )
    PackItem.objects.bulk_create(
        PackItem(pack=pack, resource=resource, position=p)
        for pack in packs
        for p, resource in enumerate(resources)
    )


def bulk_links(pack, person, count):
    now = timezone.now()
    PackLink.objects.bulk_create(
        PackLink(
            pack=pack,
            created_by=person,
            token=secrets.token_urlsafe(32),
            label=f"Lien n° {i}",
            expires_at=now + timedelta(days=30 - i % 60),
            revoked_at=now if i % 7 == 0 else None,
            open_count=i,
            last_opened_at=now if i % 2 else None,
        )
        for i in range(count)
    )
