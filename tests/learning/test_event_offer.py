"""An event is a session of an offer its organiser may use (issue 11, #14): a DD 93 attaches its
events only to the offers it provides, staff to any; a forged choice is refused with a French
message and nothing is saved. Bad ids in the catalogue's and the steps' selects are form errors
(#16)."""

import pytest
from django.urls import reverse

from accounts.access import access_for
from accounts.models import Organisation
from agenda import services
from agenda.forms import EventForm
from agenda.models import Event
from learning.models import Offer, OfferSession, PathwayStep
from territories.models import Department
from tests.agenda.test_agenda_pages import event_form
from tests.factories import EventFactory, promosante_organisation

from .pathway_factories import OfferFactory, PathwayFactory

pytestmark = pytest.mark.django_db


def org_of(user):
    return Organisation.objects.get(memberships__user=user)


@pytest.fixture
def offers(dd93):
    own = OfferFactory(title="Renouvellement des CLS en 93", providers=[org_of(dd93)])
    shared = OfferFactory(
        title="Co-construite", providers=[org_of(dd93), promosante_organisation()]
    )
    other = OfferFactory(title="Webinaires régionaux")  # PromoSanté's
    retired = OfferFactory(title="Ancienne offre du 93", providers=[org_of(dd93)])
    retired.is_active = False
    retired.save()
    return own, shared, other


def test_the_event_form_offers_only_the_offers_the_organiser_provides(dd93, staff, offers):
    own, shared, other = offers
    partner = set(EventForm(access=access_for(dd93)).fields["offer"].queryset)
    assert partner == {own, shared}
    assert set(EventForm(access=access_for(staff)).fields["offer"].queryset) == {
        own,
        shared,
        other,
    }


def test_a_partner_cannot_post_another_organisations_offer(client, dd93, offers):
    own, _, other = offers
    client.force_login(dd93)
    department = access_for(dd93).departments().get()
    data = event_form(departments=[department.pk], organiser=org_of(dd93).pk, offer=other.pk)
    response = client.post(reverse("event_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "offer": [
            "Choisissez une offre que votre structure propose (ou aucune) : celle-ci n'est pas "
            "dans la liste."
        ]
    }
    assert not Event.objects.exists() and not OfferSession.objects.exists()
    response = client.post(reverse("event_create"), {**data, "offer": own.pk})
    assert response.status_code == 302, response.context["form"].errors
    assert Event.objects.get().offer_session.offer == own


def test_the_service_refuses_another_organisations_offer(dd93, offers):
    _, _, other = offers
    event = EventFactory.build(organiser=org_of(dd93))
    with pytest.raises(services.EventError, match="proposée par d'autres structures"):
        services.event_save(
            event=event, departments=[], topics=[], extra={"offer": other}, access=access_for(dd93)
        )
    assert not Event.objects.exists() and not OfferSession.objects.exists()


def test_an_event_keeps_the_offer_staff_gave_it(dd93, offers):
    """Staff attached a DD 93 event to PromoSanté's offer: the DD may still edit its event."""
    _, _, other = offers
    event = EventFactory(organiser=org_of(dd93), offer=other)
    form = EventForm(instance=event, access=access_for(dd93))
    assert other in form.fields["offer"].queryset
    event.title = "Nouveau titre"
    services.event_save(
        event=event, departments=[], topics=[], extra={"offer": other}, access=access_for(dd93)
    )
    assert Event.objects.get().offer_session.offer == other


# --- #16: bad ids in the offer form's multi-selects -------------------------------------------


@pytest.mark.parametrize("field", ["providers", "departments", "competencies", "resources"])
@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "-1", "0"])
def test_offer_multi_selects_with_bad_ids_answer_a_form_error(client, staff, field, bad):
    client.force_login(staff)
    data = {
        "title": "Atelier plaidoyer",
        "kind": "workshop",
        "permanence": "one_off",
        "audiences": ["all"],
        "providers": [promosante_organisation().pk],
        "departments": [Department.objects.get(code="95").pk],
        field: [bad],
    }
    response = client.post(reverse("offer_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Offer.objects.exists()


@pytest.mark.parametrize("field", ["offer", "resource", "unlock_after"])
@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "-1"])
def test_step_selects_with_bad_ids_answer_a_form_error(client, staff, field, bad):
    pathway = PathwayFactory()
    client.force_login(staff)
    kind = {"offer": "event", "resource": "resource", "unlock_after": "activity"}[field]
    data = {"kind": kind, "title": "Une étape", "is_required": "on", field: bad}
    response = client.post(reverse("step_create", args=[pathway.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not PathwayStep.objects.exists()
