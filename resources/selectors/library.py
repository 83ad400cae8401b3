"""Reads on the library: what a person sees of it (audience, drafts, search and filters), a
resource's page and versions, the materials of events, and what higher floors say about it."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery, Value
from django.db.models.fields import DateTimeField

from accounts.access import Role
from competencies.models import Competency
from core.search import search_entries

from .. import hooks
from ..models.library import Resource, ResourceRead, ResourceVersion

# On equal rank, the newest document first, then by title.
TIES = ("-published_at", "title", "pk")


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


def visible(access, person=None):
    """What `access` sees of the library: what it may read, and drafts for those who edit it;
    each with `read_at`: when `person` first opened it (None if never, or without account)."""
    resources = Resource.objects.all() if access.can("resources.edit") else readable(access)
    if person is None or not person.is_authenticated:
        return resources.annotate(read_at=Value(None, output_field=DateTimeField()))
    read = ResourceRead.objects.filter(resource=OuterRef("pk"), person=person)
    return resources.annotate(read_at=Subquery(read.values("read_at")[:1]))


def with_details(resources):
    """What a resource card shows, prefetched or joined (a fixed number of queries for any
    number of resources)."""
    return resources.select_related(
        "provider_organisation", "provider_person", "event"
    ).prefetch_related(
        Prefetch("competencies", Competency.objects.select_related("domain")),
        "topics",
    )


@dataclass(frozen=True)
class Filters:
    """What the library's list is narrowed by (all optional; ids already checked by the form)."""

    q: str = ""
    kind: str = ""
    competency: object = None
    topic: object = None
    scheme_type: str = ""
    audience: str = ""
    provider: str = ""  # "org:<id>" or "person:<id>"
    event: str = ""  # "any": attached to an event; "replays": replays and slides of events


def library(access, *, person=None, filters: Filters = Filters()):
    """The resources `access` sees, narrowed by `filters`, searched (accent-insensitive, as the
    directory) and ordered: by relevance when searched, else newest first."""
    resources = visible(access, person)
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.competency is not None:
        links = Resource.competencies.through.objects.filter(competency=filters.competency)
        resources = resources.filter(pk__in=links.values("resource_id"))
    if filters.topic is not None:
        links = Resource.topics.through.objects.filter(topic=filters.topic)
        resources = resources.filter(pk__in=links.values("resource_id"))
    if filters.scheme_type:
        # The list's JSON text holds the quoted code ("CLS" is not found in "CLSM"): the same on
        # SQLite, which has no JSON containment.
        resources = resources.filter(scheme_types__icontains=f'"{filters.scheme_type}"')
    if filters.audience and access.can("resources.edit"):
        resources = resources.filter(audience=filters.audience)
    if filters.provider:
        kind, _, pk = filters.provider.partition(":")
        field = {"org": "provider_organisation_id", "person": "provider_person_id"}.get(kind)
        resources = resources.filter(**{field: pk}) if field and pk.isdigit() else resources.none()
    if filters.event == "any":
        resources = resources.filter(event__isnull=False)
    elif filters.event == "replays":
        resources = resources.filter(
            event__isnull=False, kind__in=[Resource.Kind.REPLAY, Resource.Kind.SLIDES]
        )
    if filters.q:
        return search_entries(resources, filters.q, ties=TIES)
    return resources.order_by(*TIES)


def providers(access):
    """The choices of the "proposée par" filter: the organisations and people who provide a
    resource `access` sees, as ("org:<id>" | "person:<id>", name)."""
    resources = visible(access)
    organisations = (
        resources.filter(provider_organisation__isnull=False)
        .values_list("provider_organisation_id", "provider_organisation__name")
        .order_by()  # no ordering column: DISTINCT on the pairs alone
        .distinct()
    )
    people = (
        resources.filter(provider_person__isnull=False)
        .values_list(
            "provider_person_id", "provider_person__first_name", "provider_person__last_name"
        )
        .order_by()
        .distinct()
    )
    choices = [(f"org:{pk}", name) for pk, name in organisations]
    choices += [(f"person:{pk}", f"{first} {last}".strip()) for pk, first, last in people]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def resource_page(pk, *, access, person=None):
    """One resource as `access` may see it, with its details; None when hidden or unknown."""
    return with_details(visible(access, person)).filter(pk=pk).first()


def versions_of(resource):
    """A resource's versions, the current one first, each with who put it online."""
    return list(resource.versions.select_related("created_by"))


def version_of(resource, version_pk):
    """One version of `resource` (None: not one of its versions)."""
    return ResourceVersion.objects.filter(resource=resource, pk=version_pk).first()


def new_for(access, since):
    """The resources published after `since` that `access` may read, newest first (for the
    weekly digest: "new resources for this person since date D")."""
    return (
        with_details(readable(access))
        .filter(published_at__gt=since)
        .order_by("-published_at", "-pk")
    )


def materials_for(event, access):
    """The published resources attached to `event` (its replay, slides, documents) that
    `access` may read, replays first."""
    order = {Resource.Kind.REPLAY: 0, Resource.Kind.SLIDES: 1}
    materials = list(readable(access).filter(event=event).order_by("title", "pk"))
    return sorted(materials, key=lambda resource: order.get(resource.kind, 2))


def resource_facts(resources) -> dict:
    """{resource id: [Fact]} that higher floors add (the offers a resource belongs to)."""
    facts = {}
    for answer in hooks.resource_facts.send(resources=resources):
        for pk, lines in answer.items():
            facts.setdefault(pk, []).extend(lines)
    return facts
