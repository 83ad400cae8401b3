"""Writes on the library: resources, their versions, readings."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coordinators.models import Scheme
from core.search import document_of

from .. import files, hooks
from ..models.library import Resource, ResourceRead, ResourceVersion

TITLE_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 300
NO_CONTENT = (
    "Ajoutez un fichier ou un lien avant de publier la ressource : sans contenu, il n'y a rien "
    "à lire (ou décochez « publiée » pour l'enregistrer en brouillon)."
)


class ResourceError(Exception):
    """A change the library refuses; the French message is shown as it is."""


def _check_upload(field_file):
    """A file not stored yet is checked (type from its content, size, name) before it is."""
    if field_file and not field_file._committed:
        try:
            files.validate_upload(field_file.file)
        except ValidationError as error:
            raise ResourceError(error.messages[0]) from error
        field_file.name = field_file.file.name


def _content(resource):
    return (resource.file.name or "", resource.url or "")


@transaction.atomic
def resource_save(
    *, resource: Resource, competencies, topics=(), by=None, note: str = ""
) -> Resource:
    """Create or change a resource (an unsaved or changed instance), the competencies and topics
    it works on. A competency no longer offered may stay on a resource, not be added to it. A
    new content (a file or a link differing from the current one) is recorded as a new version
    (by `by`, with `note`), earlier ones kept."""
    resource.title = (resource.title or "").strip()
    if not resource.title:
        raise ResourceError("Donnez un titre à la ressource.")
    if len(resource.title) > TITLE_MAX_LENGTH:
        raise ResourceError(f"Un titre fait au plus {TITLE_MAX_LENGTH} caractères.")
    if resource.kind not in Resource.Kind.values:
        raise ResourceError("Choisissez le type de la ressource.")
    if resource.audience not in Resource.Audience.values:
        raise ResourceError("Choisissez à qui la ressource est destinée.")
    unknown = [code for code in resource.scheme_types or [] if code not in Scheme.Kind.values]
    if unknown:
        raise ResourceError("Types de dispositif inconnus : " + ", ".join(map(str, unknown)) + ".")
    resource.scheme_types = sorted(set(resource.scheme_types or []))
    if resource.provider_organisation_id and resource.provider_person_id:
        raise ResourceError(
            "Une ressource est proposée par une structure ou par une personne : choisissez l'une "
            "ou l'autre."
        )
    if resource.is_published and not resource.has_content:
        raise ResourceError(NO_CONTENT)
    competencies, topics = list(competencies), list(topics)
    kept = set(resource.competencies.values_list("pk", flat=True)) if resource.pk else set()
    retired = [c.name for c in competencies if not c.is_active and c.pk not in kept]
    if retired:
        raise ResourceError(
            "Ces compétences ne sont plus proposées : " + ", ".join(sorted(retired)) + "."
        )
    _check_upload(resource.file)
    before = (
        Resource.objects.filter(pk=resource.pk).values_list("file", "url").first()
        if resource.pk
        else None
    )
    if resource.is_published and resource.published_at is None:
        resource.published_at = timezone.now()
    _fold(resource, competencies=competencies, topics=topics)
    resource.save()
    resource.competencies.set(competencies)
    resource.topics.set(topics)
    content = _content(resource)
    if any(content) and (before is None or tuple(x or "" for x in before) != content):
        ResourceVersion.objects.create(
            resource=resource,
            file=content[0],
            url=content[1],
            note=(note or "").strip()[:NOTE_MAX_LENGTH],
            created_by=by,
        )
    return resource


def _fold(resource, *, competencies, topics):
    """The folded title and text the resource is found by (`core.search`)."""
    provider = resource.provider
    resource.name = document_of(resource.title)[:TITLE_MAX_LENGTH]
    resource.document = document_of(
        resource.title,
        resource.summary,
        resource.get_kind_display(),
        str(provider) if provider else "",
        getattr(provider, "name", "") if provider else "",
        *[competency.name for competency in competencies],
        *[topic.name for topic in topics],
        *resource.get_scheme_types_display(),
    )


@transaction.atomic
def resource_version_add(*, resource: Resource, file=None, url: str = "", note: str, by):
    """Put a new content online (a file, or a link): it becomes the current one, the former
    stays listed with its date and note. `file` is an upload (checked here before it is
    stored)."""
    note = (note or "").strip()
    if not note:
        raise ResourceError("Dites en une phrase ce qui change dans cette version.")
    if len(note) > NOTE_MAX_LENGTH:
        raise ResourceError(f"Une note de version fait au plus {NOTE_MAX_LENGTH} caractères.")
    url = (url or "").strip()
    if not file and not url:
        raise ResourceError("Ajoutez le fichier ou le lien de la nouvelle version.")
    if file and url:
        raise ResourceError("Une version est un fichier ou un lien : choisissez l'un des deux.")
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if file:
        try:
            files.validate_upload(file)
        except ValidationError as error:
            raise ResourceError(error.messages[0]) from error
        resource.file = file
        resource.url = ""
    else:
        resource.file = ""
        resource.url = url
    resource.save(update_fields=["file", "url"])
    return ResourceVersion.objects.create(
        resource=resource,
        file=resource.file.name or "",
        url=resource.url,
        note=note,
        created_by=by,
    )


@transaction.atomic
def resource_read(*, resource, person) -> ResourceRead:
    """Record that `person` opened the resource's content (the first time counts; any version
    counts as the resource); the pathway steps that propose it are completed by learning
    (`hooks.resource_read`). A resource without content, or not published, is never read."""
    if not resource.is_published or not resource.has_content:
        raise ResourceError("Cette ressource n'a pas encore de contenu à ouvrir.")
    read, _ = ResourceRead.objects.get_or_create(resource=resource, person=person)
    hooks.resource_read.send(resource=resource, person=person)
    return read
