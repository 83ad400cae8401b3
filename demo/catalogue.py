"""Demo data of the catalogue (issue #6): what the events and the pathways are built on.

`seed_catalogue` runs before `seed_events` (the events are sessions of its offers). It writes,
from `data/learning/`, through the services staff use in their forms:
- the competency framework (`competencies.services.domain_save`, `competency_save`): 8
  competencies in 3 domains, each with four levels in plain words;
- a few resources of the library with their competencies and their content, a link or a
  document of `data/learning/resources/` (`resources.services.resource_save`), La boussole
  among them;
- the catalogue (`learning.services.offer_save`, as the PromoSanté team): 15 offers, regional
  (PromoSanté) and departmental (CRPV 93, CRPV 95, ARS DD 93, one co-built by the ARS DD 93 and
  the CRPV 93), with their resources;
- three pathways (`learning.pathways.pathway_save`), « Nouveaux coordinateurs » (ordered),
  « Promotion de la santé » and « Renouvellement de CLS », their steps added through
  `step_save` (an active offer or a published resource for each).

Everything is looked up by name or title before it is created: running it twice, even on a
later day, changes nothing.
"""

from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.access import access_for
from accounts.models import Organisation, User
from competencies import services as competency_services
from competencies.models import Competency, CompetencyDomain
from learning import pathways as learning_services
from learning import services as offer_services
from learning.models import Offer, Pathway, PathwayStep
from learning.progress import NEWCOMERS_PATHWAY, RENEWAL_PATHWAY
from resources import services as resource_services
from resources.models import Resource
from territories.models import Department

from . import loaders

DOCUMENTS = Path(__file__).resolve().parent / "data" / "learning" / "resources"


def _framework():
    """{key: Competency} of data/learning/competencies.yaml."""
    data = loaders.learning()
    domains = {
        d.name: d
        for d in CompetencyDomain.objects.filter(name__in=[d.domain for d in data.domains])
    }
    names = [c.name for c in data.competencies]
    existing = {c.name: c for c in Competency.objects.filter(name__in=names)}
    for domain_position, planned in enumerate(data.domains, start=1):
        domain = domains.get(planned.domain)
        if domain is None:
            domain = competency_services.domain_save(
                domain=CompetencyDomain(name=planned.domain, position=domain_position)
            )
        for position, competency in enumerate(planned.competencies, start=1):
            if competency.name in existing:
                continue
            level_1, level_2, level_3, level_4 = competency.levels
            existing[competency.name] = competency_services.competency_save(
                competency=Competency(
                    domain=domain,
                    name=competency.name,
                    description=competency.description,
                    level_1=level_1,
                    level_2=level_2,
                    level_3=level_3,
                    level_4=level_4,
                    position=position,
                )
            )
    return {c.key: existing[c.name] for c in data.competencies}


def _resources(competencies):
    """{key: Resource} of data/learning/resources.yaml, each published with its content: its
    link, or its document `data/learning/resources/<key>.txt` (a resource without content
    cannot be published)."""
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
        resources[planned.title] = resource_services.resource_save(
            resource=resource, competencies=[competencies[key] for key in planned.competencies]
        )
    return {r.key: resources[r.title] for r in data}


def _team_access():
    """The PromoSanté team's access (its demo account): it publishes the whole catalogue."""
    email = loaders.accounts().account("staff").email
    staff = User.objects.filter(email=email).first()
    if staff is None:
        raise RuntimeError(f"Compte {email} absent : lancez d'abord seed_demo.")
    return access_for(staff)


def _offers(competencies, resources):
    """{key: Offer} of data/learning/offers.yaml, with the resources that belong to each."""
    data = loaders.learning()
    short_names = {name for o in data.offers for name in o.providers}
    organisations = {
        o.short_name: o for o in Organisation.objects.filter(short_name__in=short_names)
    }
    missing = sorted(short_names - set(organisations))
    if missing:
        raise RuntimeError(
            "Structures absentes (" + ", ".join(missing) + ") : lancez d'abord seed_demo."
        )
    departments = {d.code: d for d in Department.objects.all()}
    offers = {o.title: o for o in Offer.objects.filter(title__in=[o.title for o in data.offers])}
    new = [o for o in data.offers if o.title not in offers]
    access = _team_access() if new else None
    for planned in new:
        offers[planned.title] = offer_services.offer_save(
            offer=Offer(
                title=planned.title,
                kind=planned.kind,
                description=planned.description,
                permanence=planned.permanence,
                audiences=[str(a) for a in planned.audiences],
            ),
            providers=[organisations[name] for name in planned.providers],
            departments=[departments[code] for code in planned.departments],
            competencies=[competencies[key] for key in planned.competencies],
            resources=[resources[r.key] for r in data.resources if r.offer == planned.key],
            access=access,
        )
    return {o.key: offers[o.title] for o in data.offers}


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
        pathway = learning_services.pathway_save(
            pathway=Pathway(
                title=planned.title,
                description=planned.description,
                audiences=[str(a) for a in planned.audiences],
                is_ordered=planned.ordered,
                position=position,
            )
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
    resources = _resources(competencies)
    offers = _offers(competencies, resources)
    pathways = _pathways(offers, resources)
    return competencies, offers, pathways
