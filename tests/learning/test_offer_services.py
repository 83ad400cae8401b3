"""The catalogue's writes (`learning.services`: who may publish what, for which départements;
what is kept of others' share of a co-built offer) and its selector of retired offers."""

import pytest

from accounts.access import access_for
from accounts.models import Organisation
from learning import selectors, services
from learning.models import Offer
from territories.models import Department
from tests.learning.pathway_factories import CompetencyFactory, OfferFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def dept(code):
    return Department.objects.get(code=code)


def org_of(user):
    return Organisation.objects.get(memberships__user=user)


def catalogue():
    through = Offer.providers.through.objects
    return (
        sorted(Offer.objects.values_list("pk", "title", "is_active")),
        sorted(through.values_list("offer_id", "organisation_id")),
        sorted(Offer.departments.through.objects.values_list("offer_id", "department_id")),
    )


def new_offer(**fields):
    return Offer(
        **{"title": "Webinaire santé mentale", "kind": "webinar", "audiences": ["all"], **fields}
    )


def test_staff_publish_a_regional_offer_with_what_it_works_on(staff, promosante):
    competency, resource = CompetencyFactory(), ResourceFactory()
    offer = services.offer_save(
        offer=new_offer(title="  Journée régionale  "),
        providers=[promosante],
        departments=[],
        competencies=[competency],
        resources=[resource],
        access=access_for(staff),
    )
    offer.refresh_from_db()
    assert offer.title == "Journée régionale"
    assert list(offer.providers.all()) == [promosante]
    assert not offer.departments.exists()
    assert (list(offer.competencies.all()), list(offer.resources.all())) == (
        [competency],
        [resource],
    )


def test_a_crpv_publishes_for_its_own_departement(crpv95):
    offer = services.offer_save(
        offer=new_offer(),
        providers=[org_of(crpv95)],
        departments=[dept("95")],
        access=access_for(crpv95),
    )
    assert [d.code for d in offer.departments.all()] == ["95"]


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("no_title", "title", "Donnez un titre à l'offre."),
        ("title_taken", "title", "Une offre porte déjà ce titre."),
        ("bad_kind", "kind", "Choisissez le type de l'offre."),
        ("bad_permanence", "permanence", "pérenne ou ponctuelle"),
        ("no_audience", "audiences", "Choisissez au moins un public."),
        ("bad_audience", "audiences", "Choisissez au moins un public."),
        ("no_provider", "providers", "Choisissez au moins une structure"),
        ("someone_else_s_name", "providers", "Vous ne publiez pas au nom de : ARS DD 93."),
        ("another_territory", "departments", "pas de votre territoire : 93."),
        ("regional", "departments", "les offres régionales sont publiées par PromoSanté"),
        ("retired_competency", "competencies", "plus proposées : Compétence retirée."),
        ("draft_resource", "resources", "pas publiées : Brouillon."),
    ],
)
def test_a_refused_offer_says_why_next_to_its_field_and_saves_nothing(
    crpv95, dd93, case, field, message
):
    OfferFactory(title="Déjà au catalogue")
    org95 = org_of(crpv95)
    offer = new_offer()
    arguments = {"providers": [org95], "departments": [dept("95")]}
    if case == "no_title":
        offer.title = "  "
    elif case == "title_taken":
        offer.title = "Déjà au catalogue"
    elif case == "bad_kind":
        offer.kind = "conference"
    elif case == "bad_permanence":
        offer.permanence = "parfois"
    elif case == "no_audience":
        offer.audiences = []
    elif case == "bad_audience":
        offer.audiences = ["all", "martiens"]
    elif case == "no_provider":
        arguments["providers"] = []
    elif case == "someone_else_s_name":
        arguments["providers"] = [org95, org_of(dd93)]
    elif case == "another_territory":
        arguments["departments"] = [dept("95"), dept("93")]
    elif case == "regional":
        arguments["departments"] = []
    elif case == "retired_competency":
        arguments["competencies"] = [CompetencyFactory(name="Compétence retirée", is_active=False)]
    elif case == "draft_resource":
        arguments["resources"] = [ResourceFactory(title="Brouillon", is_published=False)]
    before = catalogue()
    with pytest.raises(services.OfferError, match=message) as refused:
        services.offer_save(offer=offer, access=access_for(crpv95), **arguments)
    assert refused.value.field == field
    assert catalogue() == before


def test_only_those_who_publish_may_create_and_only_providers_edit(ars_hq, dd93, crpv95):
    before = catalogue()
    with pytest.raises(services.OfferError, match="ne publie pas d'offres"):
        services.offer_save(
            offer=new_offer(), providers=[], departments=[], access=access_for(ars_hq)
        )
    assert catalogue() == before
    theirs = OfferFactory(providers=[org_of(crpv95)], departments=[dept("95")])
    before = catalogue()
    theirs.title = "Reprise par un autre"
    with pytest.raises(services.OfferError, match="gérée par d'autres structures"):
        services.offer_save(
            offer=theirs,
            providers=[org_of(dd93)],
            departments=[dept("93")],
            access=access_for(dd93),
        )
    assert catalogue() == before


def test_what_a_partner_may_not_change_on_a_co_built_offer_is_kept(crpv95, dd93, promosante):
    org95, org93 = org_of(crpv95), org_of(dd93)
    retired = CompetencyFactory(is_active=False)
    offer = OfferFactory(
        title="Co-construite",
        providers=[org95, org93, promosante],
        departments=[dept("93"), dept("95")],
        competencies=[retired],
    )
    offer.title = "Co-construite, version 2"
    services.offer_save(
        offer=offer,
        providers=[org95],
        departments=[],
        competencies=[retired],  # already on the offer: it may stay
        access=access_for(crpv95),
    )
    offer.refresh_from_db()
    assert offer.title == "Co-construite, version 2"
    assert set(offer.providers.all()) == {org95, org93, promosante}
    assert [d.code for d in offer.departments.all()] == ["93"]
    assert list(offer.competencies.all()) == [retired]


def test_a_co_built_regional_offer_stays_regional(crpv95, promosante):
    offer = OfferFactory(title="Régionale co-construite", providers=[promosante, org_of(crpv95)])
    services.offer_save(
        offer=offer, providers=[org_of(crpv95)], departments=[], access=access_for(crpv95)
    )
    assert not offer.departments.exists()
    assert set(offer.providers.all()) == {promosante, org_of(crpv95)}


def test_an_offer_is_retired_then_brought_back():
    offer = OfferFactory()
    services.offer_set_active(offer=offer, active=False)
    assert not Offer.objects.get(pk=offer.pk).is_active
    services.offer_set_active(offer=offer, active=True)
    assert Offer.objects.get(pk=offer.pk).is_active


def test_retired_offers_are_listed_only_among_those_the_user_provides(staff, crpv95, dd93):
    mine = OfferFactory(providers=[org_of(crpv95)], departments=[dept("95")])
    theirs = OfferFactory(providers=[org_of(dd93)], departments=[dept("93")])
    active = OfferFactory()
    for offer in (mine, theirs):
        offer.is_active = False
        offer.save()
    assert list(selectors.catalogue_offers(access=access_for(crpv95), retired=False)) == [active]
    assert list(selectors.catalogue_offers(access=access_for(crpv95), retired=True)) == [mine]
    assert set(selectors.catalogue_offers(access=access_for(staff), retired=True)) == {mine, theirs}


def test_an_offer_page_shows_its_published_resources_only():
    offer = OfferFactory()
    shown = ResourceFactory(title="B publiée", offer=offer)
    first = ResourceFactory(title="A publiée", offer=offer)
    ResourceFactory(title="Brouillon", is_published=False, offer=offer)
    assert list(selectors.offer_resources(offer)) == [first, shown]
