"""Demo data of the catalogue (issue #6): what the events and the pathways are built on.

`seed_catalogue` runs before `seed_events` (the events are sessions of its offers). It writes,
from `data/learning/`:
- the competency framework: 8 competencies in 3 domains, each with four levels in plain words;
- the catalogue: 15 offers, regional (PromoSanté) and departmental (CRPV 93, CRPV 95, ARS DD 93,
  one co-built by the ARS DD 93 and the CRPV 93);
- a few resources of the library with their competencies (La boussole among them);
- three pathways, « Nouveaux coordinateurs » (ordered), « Promotion de la santé » and
  « Renouvellement de CLS », their steps added through `learning.pathways.step_save` (an
  active offer or a published resource for each).

The framework, offers, resources and pathways are what staff type in their forms (at the time
of writing, no rule beyond the forms' fields): they are written directly. Everything is looked
up by name or title before it is created: running it twice, even on a later day, changes
nothing.
"""

from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Organisation
from competencies.models import Competency, CompetencyDomain
from learning import pathways as learning_services
from learning.models import Offer, Pathway, PathwayStep
from learning.progress import NEWCOMERS_PATHWAY, RENEWAL_PATHWAY
from resources import services as resource_services
from resources.models import Resource
from territories.models import Department

from . import loaders


def _framework():
    """{key: Competency} of data/learning/competencies.yaml."""
    # TODO(lead): use competencies.services.domain_save and competency_save (in the tree,
    # not committed yet when this was written): a name, four levels, names unique.
    data = loaders.learning()
    domains = {
        d.name: d
        for d in CompetencyDomain.objects.filter(name__in=[d.domain for d in data.domains])
    }
    missing = [
        CompetencyDomain(name=domain.domain, position=position)
        for position, domain in enumerate(data.domains, start=1)
        if domain.domain not in domains
    ]
    for domain in CompetencyDomain.objects.bulk_create(missing):
        domains[domain.name] = domain
    names = [c.name for c in data.competencies]
    existing = {c.name: c for c in Competency.objects.filter(name__in=names)}
    rows = [
        Competency(
            domain=domains[domain.domain],
            name=competency.name,
            description=competency.description,
            level_1=competency.levels[0],
            level_2=competency.levels[1],
            level_3=competency.levels[2],
            level_4=competency.levels[3],
            position=position,
        )
        for domain in data.domains
        for position, competency in enumerate(domain.competencies, start=1)
        if competency.name not in existing
    ]
    for competency in Competency.objects.bulk_create(rows):
        existing[competency.name] = competency
    return {c.key: existing[c.name] for c in data.competencies}


def _offers(competencies):
    """{key: Offer} of data/learning/offers.yaml."""
    # TODO(lead): use learning.services.offer_save with the staff's access (in the tree, not
    # committed yet when this was written): titles unique, providers and their territory.
    data = loaders.learning().offers
    short_names = {name for o in data for name in o.providers}
    organisations = {
        o.short_name: o for o in Organisation.objects.filter(short_name__in=short_names)
    }
    missing = sorted(short_names - set(organisations))
    if missing:
        raise RuntimeError(
            "Structures absentes (" + ", ".join(missing) + ") : lancez d'abord seed_demo."
        )
    departments = {d.code: d for d in Department.objects.all()}
    offers = {o.title: o for o in Offer.objects.filter(title__in=[o.title for o in data])}
    new = [o for o in data if o.title not in offers]
    created = Offer.objects.bulk_create(
        [
            Offer(
                title=o.title,
                kind=o.kind,
                description=o.description,
                permanence=o.permanence,
                audiences=[str(a) for a in o.audiences],
            )
            for o in new
        ]
    )
    for offer in created:
        offers[offer.title] = offer
    Offer.providers.through.objects.bulk_create(
        [
            Offer.providers.through(
                offer_id=offers[o.title].pk, organisation_id=organisations[name].pk
            )
            for o in new
            for name in o.providers
        ]
    )
    Offer.departments.through.objects.bulk_create(
        [
            Offer.departments.through(offer_id=offers[o.title].pk, department_id=departments[c].pk)
            for o in new
            for c in o.departments
        ]
    )
    Offer.competencies.through.objects.bulk_create(
        [
            Offer.competencies.through(
                offer_id=offers[o.title].pk, competency_id=competencies[key].pk
            )
            for o in new
            for key in o.competencies
        ]
    )
    return {o.key: offers[o.title] for o in data}


DOCUMENTS = Path(__file__).resolve().parent / "data" / "learning" / "resources"


def _resources(competencies, offers):
    """{key: Resource} of data/learning/resources.yaml, through `resources.services.
    resource_save`: each is published with its content, its link or its document
    `data/learning/resources/<key>.txt` (a resource without content cannot be published)."""
    data = loaders.learning().resources
    resources = {}
    for resource in Resource.objects.filter(title__in=[r.title for r in data]).order_by("pk"):
        resources.setdefault(resource.title, resource)
    for planned in data:
        if planned.title in resources:
            continue
        resource = Resource(
            title=planned.title, kind=planned.kind, summary=planned.summary, url=planned.url
        )
        document = DOCUMENTS / f"{planned.key}.txt"
        if document.exists():
            resource.file = ContentFile(document.read_bytes(), name=document.name)
        elif not planned.url:
            raise loaders.DataError(
                f"learning/resources.yaml: « {planned.key} » n'a ni lien ni document "
                f"data/learning/resources/{planned.key}.txt."
            )
        resource = resource_services.resource_save(
            resource=resource, competencies=[competencies[key] for key in planned.competencies]
        )
        offers[planned.offer].resources.add(resource)
        resources[resource.title] = resource
    return {r.key: resources[r.title] for r in data}


def _pathways(offers, resources):
    """{key: Pathway} of data/learning/pathways.yaml; steps of a new pathway through
    `step_save`."""
    data = loaders.learning().pathways
    # The platform finds these two pathways by title (recommendations, « Mon espace »).
    for key, title in (("newcomers", NEWCOMERS_PATHWAY), ("renewal", RENEWAL_PATHWAY)):
        if loaders.learning().pathway(key).title != title:
            raise loaders.DataError(f"learning/pathways.yaml: {key} s'appelle « {title} ».")
    pathways = {p.title: p for p in Pathway.objects.filter(title__in=[p.title for p in data])}
    for position, planned in enumerate(data, start=1):
        if planned.title in pathways:
            continue
        # TODO(lead): use learning.pathways.pathway_save (in the tree, not committed yet when
        # this was written): a title, unique, and known audiences.
        pathway = Pathway.objects.create(
            title=planned.title,
            description=planned.description,
            audiences=[str(a) for a in planned.audiences],
            is_ordered=planned.ordered,
            position=position,
        )
        pathways[pathway.title] = pathway
        for number, step in enumerate(planned.steps, start=1):
            learning_services.step_save(
                step=PathwayStep(
                    pathway=pathway,
                    position=number,
                    kind=step.kind,
                    title=step.title,
                    instructions=step.instructions,
                    offer=offers[step.offer] if step.offer else None,
                    resource=resources[step.resource] if step.resource else None,
                    is_required=step.required,
                )
            )
    return {p.key: pathways[p.title] for p in data}


@transaction.atomic
def seed_catalogue():
    """Idempotent. Returns {key: Offer} and {key: Pathway} of the data files."""
    competencies = _framework()
    offers = _offers(competencies)
    resources = _resources(competencies, offers)
    pathways = _pathways(offers, resources)
    return competencies, offers, pathways
