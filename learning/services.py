"""Writes on the catalogue of offers (/parcours/offres/). Pathways and self-assessments are
written by `pathways.py`.

Staff manage every offer; a CRPV or an ARS DD manages the offers it provides, for the
départements of its territory. On an offer co-built with others, what the user may not change
(the other providers, départements outside their territory) is kept as it is."""

from django.db import IntegrityError, transaction

from .models import Audience, Offer

TITLE_MAX_LENGTH = 200


class OfferError(Exception):
    """A change the catalogue refuses; the French message is shown as it is, next to `field`
    when it is about one field of the form."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


def _check_fields(offer):
    offer.title = (offer.title or "").strip()
    if not offer.title:
        raise OfferError("Donnez un titre à l'offre.", field="title")
    if len(offer.title) > TITLE_MAX_LENGTH:
        raise OfferError(f"Un titre fait au plus {TITLE_MAX_LENGTH} caractères.", field="title")
    if Offer.objects.filter(title=offer.title).exclude(pk=offer.pk).exists():
        raise OfferError("Une offre porte déjà ce titre.", field="title")
    if offer.kind not in Offer.Kind.values:
        raise OfferError("Choisissez le type de l'offre.", field="kind")
    if offer.permanence not in Offer.Permanence.values:
        raise OfferError("Dites si l'offre est pérenne ou ponctuelle.", field="permanence")
    if not offer.audiences or any(value not in Audience.values for value in offer.audiences):
        raise OfferError("Choisissez au moins un public.", field="audiences")


def _providers(offer, chosen, access):
    """The chosen providers (among those the user publishes for) and the others, kept."""
    allowed = {org.pk for org in access.publishing_organisations}
    refused = sorted(str(org) for org in chosen if org.pk not in allowed)
    if refused:
        raise OfferError(
            "Vous ne publiez pas au nom de : " + ", ".join(refused) + ".", field="providers"
        )
    kept = list(offer.providers.exclude(pk__in=allowed)) if offer.pk else []
    providers = list(chosen) + kept
    if not providers:
        raise OfferError(
            "Choisissez au moins une structure qui propose l'offre.", field="providers"
        )
    return providers


def _departments(offer, chosen, access):
    """The chosen départements (of the user's territory) and the others, kept; a partner
    publishes for départements, PromoSanté for the region."""
    outside = sorted(d.code for d in chosen if not access.sees_department(d.code))
    if outside:
        raise OfferError(
            "Ces départements ne sont pas de votre territoire : " + ", ".join(outside) + ".",
            field="departments",
        )
    before = list(offer.departments.all()) if offer.pk else []
    kept = [d for d in before if not access.sees_department(d.code)]
    departments = list(chosen) + kept
    was_regional = bool(offer.pk) and not before
    if not departments and not access.is_regional and not was_regional:
        raise OfferError(
            "Choisissez le ou les départements de votre territoire concernés : les offres "
            "régionales sont publiées par PromoSanté.",
            field="departments",
        )
    return departments


def _added(offer, relation, chosen):
    """What `chosen` adds to the offer's `relation` (everything for a new offer)."""
    before = set(getattr(offer, relation).values_list("pk", flat=True)) if offer.pk else set()
    return [item for item in chosen if item.pk not in before]


@transaction.atomic
def offer_save(
    *, offer: Offer, providers, departments, competencies=(), resources=(), access
) -> Offer:
    """Create or change an offer (an unsaved or changed instance) and what it is linked to."""
    if offer.pk and not access.can_manage_offer(offer):
        raise OfferError("Cette offre est gérée par d'autres structures.")
    if not offer.pk and not access.publishing_organisations:
        raise OfferError("Votre structure ne publie pas d'offres.")
    _check_fields(offer)
    providers = _providers(offer, providers, access)
    departments = _departments(offer, departments, access)
    retired = sorted(c.name for c in _added(offer, "competencies", competencies) if not c.is_active)
    if retired:
        raise OfferError(
            "Ces compétences ne sont plus proposées : " + ", ".join(retired) + ".",
            field="competencies",
        )
    drafts = sorted(r.title for r in _added(offer, "resources", resources) if not r.is_published)
    if drafts:
        raise OfferError(
            "Ces ressources ne sont pas publiées : " + ", ".join(drafts) + ".", field="resources"
        )
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError as error:  # the same title saved at the same moment elsewhere
        raise OfferError("Une offre porte déjà ce titre.", field="title") from error
    offer.providers.set(providers)
    offer.departments.set(departments)
    offer.competencies.set(competencies)
    offer.resources.set(resources)
    return offer


@transaction.atomic
def offer_set_active(*, offer: Offer, active: bool) -> Offer:
    """Bring an offer back to the catalogue, or retire it: its sessions stay in the agenda and
    the pathways that point at it show it as retired."""
    offer.is_active = active
    offer.save(update_fields=["is_active"])
    return offer
