"""The library's demo (issue #13, `data/library.yaml`): resources with real-looking files (small
PDFs generated here) or links, from PromoSanté, the CRPV, the ARS and a coordinator, for every
audience; some with two or three versions; the replay and slides of the latest past webinars,
attached to them. Written through the library's services; a resource already there (by its
title) is left as it is, so seeding twice changes nothing."""

from dataclasses import field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Organisation, User
from agenda.models import Event
from competencies.models import Competency
from coordinators.models import Topic
from resources.models import Resource
from resources.models.library import ResourceVersion
from resources.services import library as services

from . import loaders
from .packs import demo_pdf

TEAM = "PromoSanté IdF"
MONTH = timedelta(days=30)


@loaders.record
class LibraryResourceData:
    title: str
    kind: str
    summary: str
    provider: str  # an organisation's short name, or an account's key (accounts.yaml)
    months_ago: int
    audience: str = "network"
    topics: list[str] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)
    scheme_types: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    url: str = ""
    versions: list[str] = field(default_factory=list)


@loaders.record
class LibraryData:
    resources: list[LibraryResourceData]
    webinar_materials: int


def _pdf(title, lines, name):
    return SimpleUploadedFile(f"{slugify(name)[:80]}.pdf", demo_pdf(title, lines))


def _competencies():
    """{key of competencies.yaml: Competency}, by name."""
    by_name = {c.name: c for c in Competency.objects.all()}
    return {c.key: by_name[c.name] for c in loaders.learning().competencies if c.name in by_name}


def _provider(key, organisations):
    if key in organisations:
        return {"provider_organisation": organisations[key]}
    email = loaders.accounts().account(key).email
    return {"provider_person": User.objects.get(email=email)}


def _dated(resource, when, versions):
    """Date the resource and its versions as they happened: the first version when the document
    was issued, later ones every few months after it."""
    Resource.objects.filter(pk=resource.pk).update(published_at=when, created_at=when)
    step = (timezone.now() - when) / (len(versions) + 1)
    for n, version in enumerate(reversed(versions)):
        ResourceVersion.objects.filter(pk=version.pk).update(created_at=when + step * n)


def _seed_resource(item, *, organisations, topics, competencies, staff):
    if item.kind not in Resource.Kind.values:
        raise loaders.DataError(f"library.yaml, « {item.title} » : type {item.kind!r} inconnu.")
    unknown = [t for t in item.topics if t not in topics]
    if unknown:
        raise loaders.DataError(f"library.yaml, « {item.title} » : thématiques {unknown}.")
    when = timezone.now() - item.months_ago * MONTH
    resource = Resource(
        title=item.title,
        kind=item.kind,
        summary=item.summary,
        audience=item.audience,
        scheme_types=list(item.scheme_types),
        issued_on=when.date(),
        url=item.url,
        **_provider(item.provider, organisations),
    )
    if not item.url:
        resource.file = _pdf(item.title, item.lines, item.title)
    resource = services.resource_save(
        resource=resource,
        competencies=[competencies[key] for key in item.competencies],
        topics=[topics[name] for name in item.topics],
        by=staff,
        note="Première version",
    )
    for n, note in enumerate(item.versions, start=2):
        lines = [*item.lines, f"Version {n} : {note}"]
        services.resource_version_add(
            resource=resource,
            file=_pdf(item.title, lines, f"{item.title} v{n}"),
            note=note,
            by=staff,
        )
    _dated(resource, when, list(resource.versions.all()))
    return resource


def _seed_webinar_materials(count, *, team, staff):
    """The replay (a link) and the slides (a PDF) of the `count` latest past webinars."""
    webinars = Event.objects.filter(
        kind=Event.Kind.WEBINAR, ends_at__lt=timezone.now(), status=Event.Status.PUBLISHED
    ).order_by("-starts_at")[:count]
    created = 0
    for webinar in webinars:
        materials = [
            (Resource.Kind.REPLAY, f"Replay — {webinar.title}"),
            (Resource.Kind.SLIDES, f"Support — {webinar.title}"),
        ]
        for kind, title in materials:
            if Resource.objects.filter(event=webinar, kind=kind).exists():
                continue
            resource = Resource(
                title=title[:200],
                kind=kind,
                summary=(
                    "L’enregistrement du webinaire, pour celles et ceux qui n’ont pas pu y "
                    "assister."
                    if kind == Resource.Kind.REPLAY
                    else "Les diapositives présentées pendant le webinaire."
                ),
                audience=Resource.Audience.COORDINATORS,
                provider_organisation=team,
                issued_on=webinar.starts_at.date(),
                event=webinar,
            )
            if kind == Resource.Kind.REPLAY:
                resource.url = f"https://visio.example.org/replay/{webinar.pk}"
            else:
                resource.file = _pdf(title, ["Diapositives du webinaire"], f"support {title}")
            resource = services.resource_save(
                resource=resource, competencies=[], by=staff, note="Mis en ligne après la séance"
            )
            _dated(resource, webinar.ends_at + timedelta(days=2), list(resource.versions.all()))
            created += 1
    return created


def seed_library():
    """Idempotent; returns the figures `seed_demo` prints."""
    data = loaders.read_yaml("library.yaml", LibraryData)
    organisations = {o.short_name: o for o in Organisation.objects.all()}
    topics = {t.name: t for t in Topic.objects.all()}
    competencies = _competencies()
    staff = User.objects.get(email=loaders.accounts().account("staff").email)
    existing = set(
        Resource.objects.filter(title__in=[r.title for r in data.resources]).values_list(
            "title", flat=True
        )
    )
    for item in data.resources:
        if item.title not in existing:
            _seed_resource(
                item,
                organisations=organisations,
                topics=topics,
                competencies=competencies,
                staff=staff,
            )
    _seed_webinar_materials(data.webinar_materials, team=organisations[TEAM], staff=staff)
    seeded = Resource.objects.filter(
        Q(title__in=[r.title for r in data.resources]) | Q(event__isnull=False)
    )
    return {
        "ressources de la bibliothèque (démo)": seeded.count(),
        "versions de documents": ResourceVersion.objects.filter(resource__in=seeded).count(),
        "replays et supports de webinaires": seeded.filter(event__isnull=False).count(),
    }
