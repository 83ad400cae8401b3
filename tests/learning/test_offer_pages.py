"""The catalogue, the complementarity view and the competency framework: role × page × action,
filters, offers published by partners, complementarity states, query counts."""

import pytest
from django.urls import reverse

from accounts.models import Organisation, User
from agenda import services
from competencies.models import Competency, CompetencyDomain
from learning.models import Enrolment, Offer, PathwayStep
from learning.offers import COVERED, DOUBLED, MISSING, NONE, offers_complementarity
from territories.models import Department
from tests.factories import EventFactory, OrganisationFactory, UserFactory, in_days
from tests.helpers import count_queries, login
from tests.learning.pathway_factories import (
    CompetencyDomainFactory,
    CompetencyFactory,
    OfferFactory,
    PathwayFactory,
    PathwayStepFactory,
    ResourceFactory,
    SelfAssessmentFactory,
)
from tests.test_permissions import MEMBERS, PARTNERS, ROLES, TEAM

pytestmark = pytest.mark.django_db


def dept(code):
    return Department.objects.get(code=code)


def org_of(user):
    return Organisation.objects.get(memberships__user=user)


def expected_status(role, allowed):
    return 200 if role in allowed else (302 if role == "anonymous" else 403)


# --- Role × page × action ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_offer_pages_by_role(client, user_for_role, crpv95, role):
    regional = OfferFactory(competencies=[CompetencyFactory()])
    local = OfferFactory(providers=[org_of(crpv95)], departments=[dept("95")])
    competency = regional.competencies.get()
    login(client, user_for_role(role))
    publishers = TEAM | {"partner_dd93", "partner_crpv95"}
    pages = {
        reverse("offers"): MEMBERS,
        reverse("offers") + "?retirees=1": MEMBERS,
        reverse("offer", args=[regional.pk]): MEMBERS,
        reverse("offer", args=[local.pk]): MEMBERS,
        reverse("offers_complementarity"): TEAM | PARTNERS,
        reverse("competencies"): MEMBERS,
        reverse("offer_create"): publishers,
        reverse("offer_edit", args=[regional.pk]): TEAM,
        reverse("offer_edit", args=[local.pk]): TEAM | {"partner_crpv95"},
        reverse("domain_create"): TEAM,
        reverse("domain_edit", args=[competency.domain_id]): TEAM,
        reverse("competency_create"): TEAM,
        reverse("competency_edit", args=[competency.pk]): TEAM,
    }
    for url, allowed in pages.items():
        response = client.get(url)
        assert response.status_code == expected_status(role, allowed), (url, role)
        if response.status_code == 200:
            assert b"!!UNKNOWN" not in response.content, url


@pytest.mark.parametrize("role", ROLES)
def test_retiring_an_offer_by_role(client, user_for_role, crpv95, role):
    regional = OfferFactory()
    local = OfferFactory(providers=[org_of(crpv95)], departments=[dept("95")])
    login(client, user_for_role(role))
    for offer, allowed in ((regional, TEAM), (local, TEAM | {"partner_crpv95"})):
        response = client.post(reverse("offer_retire", args=[offer.pk]))
        offer.refresh_from_db()
        if role in allowed:
            assert response.status_code == 302 and not offer.is_active
            client.post(reverse("offer_reactivate", args=[offer.pk]))
            offer.refresh_from_db()
            assert offer.is_active
        else:
            assert response.status_code == (302 if role == "anonymous" else 403)
            assert offer.is_active


@pytest.mark.parametrize("role", ROLES)
def test_deactivating_a_competency_by_role(client, user_for_role, role):
    competency = CompetencyFactory()
    login(client, user_for_role(role))
    response = client.post(reverse("competency_deactivate", args=[competency.pk]))
    competency.refresh_from_db()
    if role in TEAM:
        assert response.status_code == 302 and not competency.is_active
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert competency.is_active


def test_actions_refuse_get(client, staff):
    offer, competency = OfferFactory(), CompetencyFactory()
    client.force_login(staff)
    assert client.get(reverse("offer_retire", args=[offer.pk])).status_code == 405
    assert client.get(reverse("competency_deactivate", args=[competency.pk])).status_code == 405
    assert client.get(reverse("offer", args=[99999])).status_code == 404


# --- Catalogue ------------------------------------------------------------------------------


def test_catalogue_cards_and_filters(client, coordinator, crpv95, dd93, promosante):
    org95, org93 = org_of(crpv95), org_of(dd93)
    plaidoyer, methodo = CompetencyFactory(name="Plaidoyer"), CompetencyFactory(name="Méthodo")
    regional = OfferFactory(
        title="Journée régionale", kind="regional_day", competencies=[plaidoyer]
    )
    OfferFactory(
        title="Atelier 95",
        kind="workshop",
        permanence="one_off",
        providers=[org95],
        departments=[dept("95")],
        competencies=[methodo],
        audiences=["newcomers"],
    )
    OfferFactory(
        title="Atelier co-construit 93",
        kind="workshop",
        providers=[org93, promosante],
        departments=[dept("93")],
        audiences=["CLS", "cls_renewal"],
    )
    OfferFactory(title="Offre retirée", is_active=False)
    session = EventFactory(offer=regional, starts_at=in_days(5))
    EventFactory(offer=regional, starts_at=in_days(30))
    services.event_register(event=session, person=coordinator)
    client.force_login(coordinator)

    def titles(**params):
        return [o.title for o in client.get(reverse("offers"), params).context["page"]]

    everything = ["Atelier 95", "Atelier co-construit 93", "Journée régionale"]
    assert titles() == everything
    assert titles(kind="workshop") == ["Atelier 95", "Atelier co-construit 93"]
    assert titles(permanence="one_off") == ["Atelier 95"]
    assert titles(provider=org95.pk) == ["Atelier 95"]
    assert titles(provider=promosante.pk) == ["Atelier co-construit 93", "Journée régionale"]
    # A département's catalogue: its own offers and the regional ones.
    assert titles(department=dept("95").pk) == ["Atelier 95", "Journée régionale"]
    assert titles(department=dept("75").pk) == ["Journée régionale"]
    assert titles(competency=plaidoyer.pk) == ["Journée régionale"]
    assert titles(audience="newcomers") == ["Atelier 95"]
    assert titles(audience="CLS") == ["Atelier co-construit 93"]
    assert titles(kind="workshop", department=dept("93").pk) == ["Atelier co-construit 93"]
    # Wrong values are reported on the form, never a 500.
    response = client.get(reverse("offers"), {"kind": "inconnu", "department": "abc"})
    assert response.status_code == 200
    # Retired offers are only listed to those who may bring them back.
    assert titles(retirees="1") == everything

    page = client.get(reverse("offers")).content.decode()
    assert "Offre régionale" in page and "Offre départementale" in page
    assert "Offre pérenne" in page and "Offre ponctuelle" in page
    assert "Co-construite" in page and "Val-d&#x27;Oise (95)" in page
    assert f"{session.starts_at:%Y}" in page and "Inscrit·e" in page
    assert "Pas de séance programmée" in page
    assert "Offre retirée" not in page


def test_retired_offers_listed_for_their_providers(client, crpv95, staff):
    OfferFactory(title="Retirée PromoSanté", is_active=False)
    OfferFactory(
        title="Retirée CRPV",
        is_active=False,
        providers=[org_of(crpv95)],
        departments=[dept("95")],
    )
    client.force_login(crpv95)
    page = client.get(reverse("offers"), {"retirees": "1"}).context["page"]
    assert [o.title for o in page] == ["Retirée CRPV"]
    client.force_login(staff)
    page = client.get(reverse("offers"), {"retirees": "1"}).context["page"]
    assert [o.title for o in page] == ["Retirée CRPV", "Retirée PromoSanté"]


def test_offer_page(client, coordinator):
    competency = CompetencyFactory(name="Animation")
    offer = OfferFactory(
        title="Webinaires de l'animation",
        description="Des **séances** courtes.",
        competencies=[competency],
        audiences=["newcomers", "CLS"],
    )
    mine = EventFactory(offer=offer, title="Séance d'avril", starts_at=in_days(3))
    EventFactory(offer=offer, title="Séance de mai", starts_at=in_days(40))
    EventFactory(
        offer=offer, title="Séance passée", starts_at=in_days(-40), ends_at=in_days(-40, 12)
    )
    EventFactory(offer=offer, title="Séance annulée", status="cancelled")
    services.event_register(event=mine, person=coordinator)
    ResourceFactory(title="Fiche animation", offer=offer)
    ResourceFactory(title="Brouillon", offer=offer, is_published=False)
    used = PathwayStepFactory(kind="event", offer=offer, pathway=PathwayFactory(title="Animer"))
    PathwayStepFactory(kind="event", offer=offer, pathway=PathwayFactory(title="Ancien"))
    PathwayStep.objects.filter(pathway__title="Ancien").update(retired_at=in_days(-1))
    client.force_login(coordinator)
    page = client.get(reverse("offer", args=[offer.pk])).content.decode()
    assert "<strong>séances</strong>" in page
    assert "Nouveaux coordinateur·rices, Coordinateur·rices CLS" in page
    assert f"#competence-{competency.pk}" in page
    assert "Séance d&#x27;avril" in page and "Séance de mai" in page and "Inscrit·e" in page
    assert "Séance passée" not in page and "Séance annulée" not in page
    assert "Fiche animation" in page and "Brouillon" not in page
    assert reverse("pathway", args=[used.pathway_id]) in page and "Ancien" not in page
    assert "Retirer du catalogue" not in page  # a coordinator manages nothing


# --- Offers published by partners ----------------------------------------------------------


def offer_form(**overrides):
    data = {
        "title": "Atelier plaidoyer du Val-d'Oise",
        "kind": "workshop",
        "permanence": "one_off",
        "description": "Préparer un argumentaire pour les élu·es.",
        "audiences": ["all"],
        "departments": [dept("95").pk],
    }
    return {**data, **overrides}


def test_crpv_creates_an_offer_for_its_departement(client, crpv95):
    competency = CompetencyFactory()
    client.force_login(crpv95)
    org = org_of(crpv95)
    form = client.get(reverse("offer_create")).context["form"]
    assert list(form.fields["providers"].queryset) == [org]
    assert [d.code for d in form.fields["departments"].queryset] == ["95"]
    # Its own name, its own département and every coordinator are ticked to start with.
    assert form["providers"].value() == [org.pk]
    assert form["departments"].value() == [dept("95").pk]
    assert form["audiences"].value() == ["all"]
    resource = ResourceFactory(title="Guide du plaidoyer")
    response = client.post(
        reverse("offer_create"),
        offer_form(providers=[org.pk], competencies=[competency.pk], resources=[resource.pk]),
    )
    offer = Offer.objects.get()
    assert list(offer.resources.all()) == [resource]
    assert response["Location"] == reverse("offer", args=[offer.pk])
    assert list(offer.providers.all()) == [org]
    assert [d.code for d in offer.departments.all()] == ["95"]
    assert list(offer.competencies.all()) == [competency]
    assert client.get(reverse("offer_edit", args=[offer.pk])).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"providers": []}, "providers", "au moins une structure"),
        ({"providers": ["promosante"]}, "providers", "Sélectionnez un choix valide"),
        ({"departments": []}, "departments", "départements de votre territoire"),
        ({"departments": ["93"]}, "departments", "Sélectionnez un choix valide"),
        ({"audiences": []}, "audiences", "au moins un public"),
        ({"title": ""}, "title", "Ce champ est obligatoire"),
        ({"kind": "inconnu"}, "kind", "Sélectionnez un choix valide"),
        ({"title": "Existante"}, "title", "Une offre porte déjà ce titre"),
        ({"resources": ["999999"]}, "resources", "Sélectionnez un choix valide"),
    ],
)
def test_bad_offer_forms_save_nothing(client, crpv95, promosante, overrides, field, message):
    existing = OfferFactory(title="Existante")
    client.force_login(crpv95)
    values = {"providers": [org_of(crpv95).pk], **overrides}
    if values["providers"] == ["promosante"]:
        values["providers"] = [promosante.pk]
    if values.get("departments") == ["93"]:
        values["departments"] = [dept("93").pk]
    response = client.post(reverse("offer_create"), offer_form(**values))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field]), errors[field]
    assert list(Offer.objects.all()) == [existing]


def test_partners_without_offers_to_publish_are_refused(client, ars_hq, dd93, crpv95):
    offer = OfferFactory(providers=[org_of(crpv95)], departments=[dept("95")])
    client.force_login(ars_hq)
    assert client.post(reverse("offer_create"), offer_form()).status_code == 403
    client.force_login(dd93)
    response = client.post(reverse("offer_edit", args=[offer.pk]), offer_form(title="Pris"))
    assert response.status_code == 403
    offer.refresh_from_db()
    assert offer.title != "Pris"


def test_a_partner_edits_its_share_of_a_co_built_offer(client, crpv95, dd93, promosante):
    org95, org93 = org_of(crpv95), org_of(dd93)
    offer = OfferFactory(
        title="Co-construite",
        providers=[org95, org93, promosante],
        departments=[dept("93"), dept("95")],
    )
    client.force_login(crpv95)
    response = client.post(
        reverse("offer_edit", args=[offer.pk]),
        offer_form(title="Co-construite, version 2", providers=[org95.pk], departments=[]),
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Co-construite, version 2"
    # What the CRPV may not choose (others' names, another département) is kept.
    assert set(offer.providers.all()) == {org95, org93, promosante}
    assert {d.code for d in offer.departments.all()} == {"93"}


def test_a_partner_keeps_a_co_built_regional_offer_regional(client, crpv95, promosante):
    org95 = org_of(crpv95)
    offer = OfferFactory(title="Régionale co-construite", providers=[promosante, org95])
    client.force_login(crpv95)
    response = client.post(
        reverse("offer_edit", args=[offer.pk]),
        offer_form(title="Régionale co-construite", providers=[org95.pk], departments=[]),
    )
    assert response.status_code == 302
    assert not offer.departments.exists()


def test_staff_create_a_regional_offer(client, staff, promosante):
    client.force_login(staff)
    response = client.post(
        reverse("offer_create"), offer_form(providers=[promosante.pk], departments=[])
    )
    assert response.status_code == 302
    assert not Offer.objects.get().departments.exists()


def test_a_retired_offer_leaves_the_catalogue_but_not_its_events(client, staff, coordinator):
    offer = OfferFactory(title="Offre à retirer")
    event = EventFactory(offer=offer)
    client.force_login(staff)
    response = client.post(reverse("offer_retire", args=[offer.pk]), follow=True)
    assert "retirée du catalogue" in response.content.decode()
    client.force_login(coordinator)
    assert "Offre à retirer" not in client.get(reverse("offers")).content.decode()
    page = client.get(reverse("offer", args=[offer.pk])).content.decode()
    assert "Cette offre est retirée du catalogue" in page
    event.refresh_from_db()
    assert event.offer_session.offer == offer
    assert "Offre à retirer" in client.get(reverse("event", args=[event.pk])).content.decode()


# --- Complementarity ------------------------------------------------------------------------


@pytest.fixture
def small_catalogue(crpv95, dd93, promosante):
    """Four competencies: none offered; regional + 95; two structures in 93; one in 93."""
    org95, org93 = org_of(crpv95), org_of(dd93)
    other93 = OrganisationFactory(name="CRPV 93", kind="crpv", department_codes=["93"])
    domain = CompetencyDomainFactory(name="Démarche")
    nothing, both, twice, alone = (
        CompetencyFactory(domain=domain, name=name, position=i)
        for i, name in enumerate(["Aucune offre", "Régional et 95", "Deux en 93", "Seule en 93"])
    )
    OfferFactory(title="Régionale", competencies=[both])
    OfferFactory(
        title="Départementale 95", providers=[org95], departments=[dept("95")], competencies=[both]
    )
    OfferFactory(title="DD 93", providers=[org93], departments=[dept("93")], competencies=[twice])
    OfferFactory(
        title="CRPV 93", providers=[other93], departments=[dept("93")], competencies=[twice]
    )
    OfferFactory(title="Seule", providers=[org93], departments=[dept("93")], competencies=[alone])
    # Same provider twice, or a co-built offer sharing a provider: already articulated.
    OfferFactory(
        title="Seule, suite", providers=[org93], departments=[dept("93")], competencies=[alone]
    )
    OfferFactory(
        title="Seule, co-construite",
        providers=[org93, org95],
        departments=[dept("93")],
        competencies=[alone],
    )
    # Retired offers do not count.
    OfferFactory(title="Retirée", is_active=False, competencies=[nothing, alone])
    return nothing, both, twice, alone


def cells(table, competency):
    for _, rows in table.domains:
        for row in rows:
            if row.competency == competency:
                return row.regional.state, {c.code: c.state for c in row.departments}
    raise AssertionError(competency)


def test_complementarity_states(small_catalogue):
    nothing, both, twice, alone = small_catalogue
    table = offers_complementarity()
    assert table.missing == [nothing]
    regional, local = cells(table, nothing)
    assert regional == MISSING and set(local.values()) == {MISSING}
    regional, local = cells(table, both)
    assert regional == COVERED and local["95"] == DOUBLED
    assert local["93"] == COVERED  # by the regional offer alone
    regional, local = cells(table, twice)
    assert regional == NONE and local["93"] == DOUBLED and local["75"] == MISSING
    regional, local = cells(table, alone)
    assert regional == NONE and local["93"] == COVERED and local["95"] == MISSING
    doubled = {(c.name, cell.code) for c, cell in table.doubled}
    assert doubled == {("Régional et 95", "95"), ("Deux en 93", "93")}


def test_two_regional_offers_of_separate_structures_are_doubled(promosante):
    competency = CompetencyFactory()
    OfferFactory(competencies=[competency])
    OfferFactory(providers=[OrganisationFactory(kind="ars_siege")], competencies=[competency])
    table = offers_complementarity()
    regional, local = cells(table, competency)
    assert regional == DOUBLED and set(local.values()) == {COVERED}
    assert [cell.place for _, cell in table.doubled] == ["Régional"]


def test_complementarity_page(client, crpv95, small_catalogue):
    client.force_login(crpv95)
    page = client.get(reverse("offers_complementarity")).content.decode()
    assert "<caption>" in page and 'scope="row"' in page and 'scope="rowgroup"' in page
    assert "1 compétence sans aucune offre" in page
    assert "2 recoupements à articuler" in page
    # States are written, not only coloured.
    assert "Manquante" in page and "À articuler" in page and "Couverte" in page
    assert "avec l'offre régionale" in page
    assert page.count('<span class="d-block small">votre territoire</span>') == 1
    assert '<th scope="col" class="offers-own">95' in page
    assert "Retirée" not in page


# --- Competency framework -------------------------------------------------------------------


def competency_form(domain, /, **overrides):
    data = {
        "domain": domain.pk,
        "name": "Participation des habitant·es",
        "description": "Associer les habitant·es à la démarche.",
        "level_1": "Je connais l'intérêt de la participation.",
        "level_2": "J'organise un temps participatif avec de l'aide.",
        "level_3": "Je conduis une démarche participative.",
        "level_4": "J'accompagne des pairs dans leurs démarches.",
        "position": "3",
    }
    return {**data, **overrides}


def test_staff_create_and_edit_the_framework(client, staff):
    client.force_login(staff)
    response = client.post(reverse("domain_create"), {"name": "Coopérer", "position": "1"})
    domain = CompetencyDomain.objects.get(name="Coopérer")
    assert response["Location"] == reverse("competencies") + f"#domaine-{domain.pk}"
    response = client.post(reverse("competency_create"), competency_form(domain))
    competency = Competency.objects.get()
    assert response["Location"] == reverse("competencies") + f"#competence-{competency.pk}"
    client.post(
        reverse("competency_edit", args=[competency.pk]),
        competency_form(domain, level_4="Je transmets."),
    )
    competency.refresh_from_db()
    assert competency.level_4 == "Je transmets."
    page = client.get(reverse("competencies")).content.decode()
    assert "Coopérer" in page and "Je transmets." in page and "Transmission" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"level_3": "   "}, "level_3", "Décrivez ce niveau"),
        ({"level_1": ""}, "level_1", "Décrivez ce niveau"),
        ({"name": ""}, "name", "Ce champ est obligatoire"),
        ({"name": "Existante"}, "name", "Une compétence porte déjà ce nom"),
        ({"domain": "999999"}, "domain", "Sélectionnez un choix valide"),
        ({"position": "-1"}, "position", "supérieure ou égale à 0"),
    ],
)
def test_bad_competency_forms_save_nothing(client, staff, overrides, field, message):
    existing = CompetencyFactory(name="Existante")
    client.force_login(staff)
    response = client.post(
        reverse("competency_create"), competency_form(existing.domain, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert list(Competency.objects.all()) == [existing]


def test_a_rated_competency_is_deactivated_never_deleted(client, staff, coordinator):
    competency = CompetencyFactory(name="Ancienne compétence")
    SelfAssessmentFactory(person=coordinator, levels={competency: 2})
    client.force_login(staff)
    client.post(reverse("competency_deactivate", args=[competency.pk]))
    competency.refresh_from_db()
    assert not competency.is_active and competency.ratings.count() == 1
    assert "Désactivée" in client.get(reverse("competencies")).content.decode()
    client.force_login(coordinator)
    assert "Ancienne compétence" not in client.get(reverse("competencies")).content.decode()
    client.force_login(staff)
    client.post(reverse("competency_reactivate", args=[competency.pk]))
    competency.refresh_from_db()
    assert competency.is_active


# --- Query counts ---------------------------------------------------------------------------


def add_catalogue(count, providers, competencies):
    offers = []
    for i in range(count):
        offer = Offer.objects.create(
            title=f"Offre générée {Offer.objects.count()}",
            kind="webinar",
            audiences=["all"],
        )
        offer.providers.set(providers)
        offer.competencies.set(competencies)
        if i % 2:
            offer.departments.set([dept("93"), dept("95")])
        EventFactory(offer=offer, starts_at=in_days(3 + i % 20))
        ResourceFactory(offer=offer)
        offers.append(offer)
    return offers


def add_enrolments(count, pathways):
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"inscrit{start + i}@exemple.fr") for i in range(count)
    )
    Enrolment.objects.bulk_create(
        Enrolment(pathway=pathway, person=user) for user in users for pathway in pathways
    )


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_crpv95"])
def test_offer_pages_queries_are_constant(client, user_for_role, role, crpv95, promosante):
    user = user_for_role(role)
    client.force_login(user)
    competencies = [CompetencyFactory() for _ in range(3)]
    [first, *others] = add_catalogue(4, [promosante, org_of(crpv95)], competencies)
    pathways = [PathwayFactory() for _ in range(3)]
    for pathway, offer in zip(pathways, [first, *others], strict=False):
        PathwayStepFactory(pathway=pathway, kind="event", offer=offer)
        PathwayStepFactory(pathway=pathway, kind="event", offer=first)
    add_enrolments(10, pathways)
    urls = [
        reverse("offers"),
        reverse("offers") + f"?department={dept('93').pk}&competency={competencies[0].pk}",
        reverse("offer", args=[first.pk]),
        reverse("competencies"),
    ]
    if role != "coordinator":
        urls.append(reverse("offers_complementarity"))
    small = [count_queries(client, url) for url in urls]
    add_enrolments(1000, pathways)
    add_catalogue(36, [promosante], [*competencies, CompetencyFactory()])
    for _ in range(5):
        EventFactory(offer=first, starts_at=in_days(7))
    services.event_register(event=first.events.first(), person=UserFactory())
    large = [count_queries(client, url) for url in urls]
    assert small == large
