"""Reads on the library: what a person sees of it, and what higher floors say about it."""

from django.db.models import OuterRef, Prefetch, Subquery

from accounts.access import Role
from competencies.models import Competency

from .. import hooks
from ..models.library import Resource, ResourceRead


def audiences_for(access) -> set | None:
    """The audiences whose resources `access` may read; None: all of them (the team)."""
    if access.role in (Role.STAFF, Role.SUPERUSER):
        return None
    audiences = {Resource.Audience.PUBLIC}
    if access.role == Role.COORDINATOR:
        audiences |= {Resource.Audience.NETWORK, Resource.Audience.COORDINATORS}
    elif access.role == Role.PARTNER:
        audiences |= {Resource.Audience.NETWORK, Resource.Audience.PARTNERS}
    return audiences


def readable(access, resources=None):
    """The published resources `access` may read (and open the content of)."""
    resources = (Resource.objects.all() if resources is None else resources).filter(
        is_published=True
    )
    audiences = audiences_for(access)
    return resources if audiences is None else resources.filter(audience__in=audiences)


def resources_visible(*, person, with_drafts: bool):
    """Published resources (drafts too for those who edit the library), each with `read_at`:
    when `person` first opened it (None if never)."""
    resources = Resource.objects.all()
    if not with_drafts:
        resources = resources.filter(is_published=True)
    read = ResourceRead.objects.filter(resource=OuterRef("pk"), person=person)
    return resources.annotate(read_at=Subquery(read.values("read_at")[:1]))


def with_details(resources):
    """What a resource card shows, prefetched (one more query for any number of resources)."""
    return resources.prefetch_related(
        Prefetch("competencies", Competency.objects.select_related("domain"))
    )


def resource_page(pk, *, person, with_drafts: bool):
    """One resource as `person` may see it, with its details; None when hidden or unknown."""
    return (
        with_details(resources_visible(person=person, with_drafts=with_drafts))
        .filter(pk=pk)
        .first()
    )


def resource_facts(resources) -> dict:
    """{resource id: [Fact]} that higher floors add (the offers a resource belongs to)."""
    facts = {}
    for answer in hooks.resource_facts.send(resources=resources):
        for pk, lines in answer.items():
            facts.setdefault(pk, []).extend(lines)
    return facts
