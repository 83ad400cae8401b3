"""The catalogue of offers (/parcours/offres/) and its complementarity view. Reads are in
`learning/offers.py` and `learning/selectors.py`, writes in `learning/services.py`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.pages import form_page
from core.permissions import requires
from learning import selectors, services
from learning.forms.offers import OfferFilter, OfferForm
from learning.models import Audience, Offer
from learning.offers import (
    offer_upcoming_events,
    offers_complementarity,
    offers_for_cards,
    pathways_using,
)
from learning.progress import next_sessions

PAGE_SIZE = 30


# --- Catalogue ------------------------------------------------------------------------------


@requires("offers.view")
def offer_list(request):
    access = request.access
    can_create = bool(access.publishing_organisations)
    retired = can_create and request.GET.get("retirees") == "1"
    offers = selectors.catalogue_offers(access=access, retired=retired)
    filterset = OfferFilter(request.GET or None, queryset=offers)
    filtered = filterset.qs if filterset.is_bound and filterset.is_valid() else offers
    page = Paginator(offers_for_cards(filtered), PAGE_SIZE).get_page(request.GET.get("page"))
    sessions = next_sessions([offer.pk for offer in page], request.user)
    for offer in page:
        offer.next_session = sessions.get(offer.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/offers/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "retired": retired,
            "can_create": can_create,
            "can_compare": access.can("offers.complementarity"),
        },
    )


@requires("offers.view")
def offer_detail(request, pk):
    offer = get_object_or_404(offers_for_cards(Offer.objects.all()), pk=pk)
    access = request.access
    return render(
        request,
        "learning/offers/detail.html",
        {
            "offer": offer,
            "audiences": [label for value, label in Audience.choices if value in offer.audiences],
            "events": offer_upcoming_events(offer, request.user),
            "resources": selectors.offer_resources(offer),
            "pathways": pathways_using(offer),
            "manages": access.can_manage_offer(offer),
        },
    )


def _editable_offer(request, pk):
    access = request.access
    if pk is None:
        if not access.publishing_organisations:
            raise PermissionDenied
        return Offer()
    offer = get_object_or_404(Offer.objects.prefetch_related("providers"), pk=pk)
    if not access.can_manage_offer(offer):
        raise PermissionDenied
    return offer


@requires("offers.publish")
def offer_edit(request, pk=None):
    offer = _editable_offer(request, pk)
    form = OfferForm(request.POST or None, instance=offer, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_save(
                offer=form.save(commit=False),
                providers=form.cleaned_data["providers"],
                departments=form.cleaned_data["departments"],
                competencies=form.cleaned_data["competencies"],
                resources=form.cleaned_data["resources"],
                access=request.access,
            )
        except services.OfferError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"L'offre « {offer} » est enregistrée.")
            return redirect("offer", pk=offer.pk)
    return form_page(
        request,
        form,
        title=f"Modifier l'offre « {offer} »" if offer.pk else "Nouvelle offre",
        back_url=reverse("offer", args=[offer.pk]) if offer.pk else reverse("offers"),
    )


@require_POST
@requires("offers.publish")
def offer_set_active(request, pk, active):
    """Retire an offer from the catalogue (it stays on its events and steps) or bring it back."""
    offer = _editable_offer(request, pk)
    if offer.is_active == active:
        messages.info(
            request, "Cette offre est déjà au catalogue." if active else "Offre déjà retirée."
        )
        return redirect("offer", pk=offer.pk)
    offer = services.offer_set_active(offer=offer, active=active)
    if active:
        messages.success(request, f"« {offer} » est de nouveau au catalogue.")
    else:
        messages.success(
            request,
            f"« {offer} » est retirée du catalogue. Ses séances restent à l'agenda ; les "
            "parcours qui s'y réfèrent la montrent comme retirée.",
        )
    return redirect("offer", pk=offer.pk)


@requires("offers.complementarity")
def offers_complementarity_view(request):
    # Partners see every département (this is about offers, not people); theirs are marked.
    own = request.access.department_codes or frozenset()
    return render(
        request,
        "learning/offers/complementarity.html",
        {"table": offers_complementarity(), "own_codes": own},
    )
