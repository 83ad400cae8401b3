"""Writes on the library."""

from django.db import transaction
from django.utils import timezone

from .. import hooks
from ..models.library import Resource, ResourceRead

TITLE_MAX_LENGTH = 200
NO_CONTENT = (
    "Ajoutez un fichier ou un lien avant de publier la ressource : sans contenu, il n'y a rien "
    "à lire (ou décochez « publiée » pour l'enregistrer en brouillon)."
)


class ResourceError(Exception):
    """A change the library refuses; the French message is shown as it is."""


@transaction.atomic
def resource_save(*, resource: Resource, competencies) -> Resource:
    """Create or change a resource (an unsaved or changed instance) and the competencies it
    works on. A competency no longer offered may stay on a resource, not be added to it."""
    resource.title = (resource.title or "").strip()
    if not resource.title:
        raise ResourceError("Donnez un titre à la ressource.")
    if len(resource.title) > TITLE_MAX_LENGTH:
        raise ResourceError(f"Un titre fait au plus {TITLE_MAX_LENGTH} caractères.")
    if resource.kind not in Resource.Kind.values:
        raise ResourceError("Choisissez le type de la ressource.")
    if resource.is_published and not resource.has_content:
        raise ResourceError(NO_CONTENT)
    competencies = list(competencies)
    kept = set(resource.competencies.values_list("pk", flat=True)) if resource.pk else set()
    retired = [c.name for c in competencies if not c.is_active and c.pk not in kept]
    if retired:
        raise ResourceError(
            "Ces compétences ne sont plus proposées : " + ", ".join(sorted(retired)) + "."
        )
    if resource.is_published and resource.published_at is None:
        resource.published_at = timezone.now()
    resource.save()
    resource.competencies.set(competencies)
    return resource


@transaction.atomic
def resource_read(*, resource, person) -> ResourceRead:
    """Record that `person` opened the resource's content (the first time counts); the pathway
    steps that propose it are completed by learning (`hooks.resource_read`). A resource without
    content, or not published, is never read."""
    if not resource.is_published or not resource.has_content:
        raise ResourceError("Cette ressource n'a pas encore de contenu à ouvrir.")
    read, _ = ResourceRead.objects.get_or_create(resource=resource, person=person)
    hooks.resource_read.send(resource=resource, person=person)
    return read
