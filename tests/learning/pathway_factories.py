"""Factories for competencies, offers, resources, pathways, enrolments and self-assessments.

Shared by the tests of issue #6 (import them, don't copy them)."""

import factory

from competencies.models import Competency, CompetencyDomain
from learning.models import (
    Enrolment,
    Offer,
    Pathway,
    PathwayStep,
    PriorLearningRequest,
    SelfAssessment,
    SelfAssessmentRating,
    StepCompletion,
)
from resources.models import Resource, ResourceRead
from tests.factories import UserFactory, promosante_organisation


class CompetencyDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyDomain

    name = factory.Sequence(lambda n: f"Domaine {n}")
    position = factory.Sequence(lambda n: n)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    domain = factory.SubFactory(CompetencyDomainFactory)
    name = factory.Sequence(lambda n: f"Compétence {n}")
    level_1 = "Je découvre."
    level_2 = "Je mets en pratique avec de l'aide."
    level_3 = "Je maîtrise seul·e."
    level_4 = "Je transmets à d'autres."
    position = factory.Sequence(lambda n: n)


class OfferFactory(factory.django.DjangoModelFactory):
    """A regional webinar offer provided by PromoSanté.

    `providers=[org, …]`, `departments=[dept, …]`, `competencies=[c, …]` set the M2Ms."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Offre n° {n}")
    description = "Une offre du catalogue."
    kind = Offer.Kind.WEBINAR
    permanence = Offer.Permanence.PERMANENT
    audiences = factory.LazyFunction(lambda: ["all"])

    @factory.post_generation
    def providers(self, create, extracted, **kwargs):
        if create:
            self.providers.set(extracted or [promosante_organisation()])

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.competencies.set(extracted)


class ResourceFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Ressource n° {n}")
    kind = Resource.Kind.FACTSHEET
    summary = "Une fiche pratique."
    url = "https://ressources.example.org/fiche"

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    @factory.post_generation
    def offer(self, create, extracted, **kwargs):
        """`offer=`: the resource is part of that catalogue offer."""
        if create and extracted is not None:
            extracted.resources.add(self)


class ResourceReadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceRead

    resource = factory.SubFactory(ResourceFactory)
    person = factory.SubFactory(UserFactory)


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway

    title = factory.Sequence(lambda n: f"Parcours n° {n}")
    description = "Un parcours pour progresser."
    audiences = factory.LazyFunction(lambda: ["all"])


class PathwayStepFactory(factory.django.DjangoModelFactory):
    """An activity step by default; `kind="event"` creates an offer, `kind="resource"` a
    resource, unless given."""

    class Meta:
        model = PathwayStep

    pathway = factory.SubFactory(PathwayFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = PathwayStep.Kind.ACTIVITY
    title = factory.Sequence(lambda n: f"Étape n° {n}")
    instructions = "Ce qu'il faut faire."
    offer = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == PathwayStep.Kind.EVENT),
        yes_declaration=factory.SubFactory(OfferFactory),
        no_declaration=None,
    )
    resource = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == PathwayStep.Kind.RESOURCE),
        yes_declaration=factory.SubFactory(ResourceFactory),
        no_declaration=None,
    )
    is_required = True


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    pathway = factory.SubFactory(PathwayFactory)
    person = factory.SubFactory(UserFactory)


class StepCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepCompletion

    enrolment = factory.SubFactory(EnrolmentFactory)
    step = factory.SubFactory(
        PathwayStepFactory, pathway=factory.SelfAttribute("..enrolment.pathway")
    )
    source = StepCompletion.Source.DECLARED
    reflection = "Ce que j'en retiens pour mon territoire."


class PriorLearningRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorLearningRequest

    enrolment = factory.SubFactory(EnrolmentFactory)
    step = factory.SubFactory(
        PathwayStepFactory, pathway=factory.SelfAttribute("..enrolment.pathway")
    )
    justification = "J'ai suivi une formation équivalente l'an dernier."


class SelfAssessmentFactory(factory.django.DjangoModelFactory):
    """`levels={competency: level, …}` adds the ratings."""

    class Meta:
        model = SelfAssessment
        skip_postgeneration_save = True

    person = factory.SubFactory(UserFactory)

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create and extracted:
            SelfAssessmentRating.objects.bulk_create(
                SelfAssessmentRating(assessment=self, competency=competency, level=level)
                for competency, level in extracted.items()
            )
