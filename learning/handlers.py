"""What learning plugs into lower floors at start-up (see `core.hooks`): recorded attendance and
opened resources complete pathway steps; the event form gains the offer an event is a session
of; events and resources show the offers they belong to."""

from django import forms
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from accounts.access import TEAM
from agenda import hooks as agenda_hooks
from agenda.services import EventError
from core.hooks import Fact
from resources import hooks as resource_hooks

from . import pathways
from .models import Offer, OfferSession


@agenda_hooks.attendance_recorded.connect
def attendance_recorded(*, registrations):
    pathways.attendance_recorded(registrations)


@agenda_hooks.attendance_undone.connect
def attendance_undone(*, registration):
    pathways.attendance_undone(registration)


@resource_hooks.resource_read.connect
def resource_read(*, resource, person):
    pathways.resource_read(resource=resource, person=person)


def _current_offer_id(event):
    if not event.pk:
        return None
    return OfferSession.objects.filter(event=event).values_list("offer_id", flat=True).first()


def offers_for_events(access, current=None):
    """The offers an organiser may attach an event to: staff every active offer; a CRPV or an
    ARS DD the active offers it provides (alone or with others). The event's own offer stays
    available, even retired or someone else's: keeping it changes nothing."""
    offers = Offer.objects.filter(is_active=True)
    if access.role not in TEAM:
        provided = Offer.providers.through.objects.filter(
            organisation__in=[org.pk for org in access.publishing_organisations]
        )
        offers = offers.filter(pk__in=provided.values("offer_id"))
    return Offer.objects.filter(Q(pk__in=offers.values("pk")) | Q(pk=current)).order_by("title")


@agenda_hooks.event_form.connect
def event_form(*, form):
    """The catalogue offer an event is a session of, among those the organiser may use."""
    current = _current_offer_id(form.instance)
    form.fields["offer"] = forms.ModelChoiceField(
        label="Offre du catalogue",
        queryset=offers_for_events(form.access, current),
        required=False,
        initial=current,
        help_text="Une présence à cette séance valide les étapes de parcours de l'offre.",
        error_messages={
            "invalid_choice": "Choisissez une offre que votre structure propose "
            "(ou aucune) : celle-ci n'est pas dans la liste."
        },
    )
    form.extra_fields.append("offer")


@agenda_hooks.event_saved.connect
def event_saved(*, event, data, access):
    """Refuses (the agenda's `EventError`: the form shows it, nothing is saved) an offer the
    person saving may not use: a partner attaches its events to the offers it provides only.
    Without `access`, the platform itself saves (the demo's seeding): nothing to check."""
    if "offer" not in data:
        return
    offer = data["offer"]
    changed = offer is not None and offer.pk != _current_offer_id(event)
    if changed and access is not None and not offers_for_events(access).filter(pk=offer.pk):
        raise EventError(
            f"L'offre « {offer} » est proposée par d'autres structures : votre événement "
            "ne peut pas en être une séance."
        )
    offer_session_set(event=event, offer=offer)


@transaction.atomic
def offer_session_set(*, event, offer):
    """Make `event` a session of `offer` (None: of no offer)."""
    if offer is None:
        OfferSession.objects.filter(event=event).delete()
    else:
        OfferSession.objects.update_or_create(event=event, defaults={"offer": offer})


@agenda_hooks.event_facts.connect
def event_facts(*, event):
    session = OfferSession.objects.filter(event=event).select_related("offer").first()
    if session is None:
        return []
    offer = session.offer
    return [Fact("Offre", offer.title, reverse("offer", args=[offer.pk]))]


@resource_hooks.resource_facts.connect
def resource_facts(*, resources):
    links = Offer.resources.through.objects.filter(
        resource_id__in=[resource.pk for resource in resources]
    ).select_related("offer")
    facts = {}
    for link in links.order_by("offer__title"):
        facts.setdefault(link.resource_id, []).append(
            Fact("Offre", link.offer.title, reverse("offer", args=[link.offer_id]))
        )
    return facts
