"""Writes on the competency framework (staff). A competency in use is deactivated, never
deleted: self-assessments rate it, offers and resources work on it."""

from django.db import IntegrityError, transaction

from .models import Competency, CompetencyDomain

NAME_MAX_LENGTH = 200


class CompetencyError(Exception):
    """A change the framework refuses; the French message is shown as it is."""


def _name(name, *, what):
    name = (name or "").strip()
    if not name:
        raise CompetencyError(f"Donnez un nom {what}.")
    if len(name) > NAME_MAX_LENGTH:
        raise CompetencyError(f"Un nom fait au plus {NAME_MAX_LENGTH} caractères.")
    return name


def _save_unique(instance, taken):
    """Save `instance`; a unique name taken at the same moment elsewhere raises `taken`."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise taken from error
    return instance


@transaction.atomic
def domain_save(*, domain: CompetencyDomain) -> CompetencyDomain:
    """Create or rename a domain of the framework (an unsaved or changed instance)."""
    domain.name = _name(domain.name, what="au domaine")
    taken = CompetencyError("Un domaine porte déjà ce nom.")
    if CompetencyDomain.objects.filter(name=domain.name).exclude(pk=domain.pk).exists():
        raise taken
    return _save_unique(domain, taken)


@transaction.atomic
def competency_save(*, competency: Competency) -> Competency:
    """Create or change a competency: a domain, a name, and its four levels in plain words."""
    if competency.domain_id is None:
        raise CompetencyError("Choisissez le domaine de la compétence.")
    competency.name = _name(competency.name, what="à la compétence")
    for level, label in Competency.LEVELS:
        text = (getattr(competency, f"level_{level}") or "").strip()
        if not text:
            raise CompetencyError(
                f"Décrivez le niveau {level} ({label.lower()}) en quelques mots simples."
            )
        setattr(competency, f"level_{level}", text)
    taken = CompetencyError("Une compétence porte déjà ce nom.")
    if Competency.objects.filter(name=competency.name).exclude(pk=competency.pk).exists():
        raise taken
    return _save_unique(competency, taken)


@transaction.atomic
def competency_set_active(*, competency: Competency, active: bool) -> Competency:
    """Offer a competency again, or no longer (past self-assessments keep their ratings)."""
    competency.is_active = active
    competency.save(update_fields=["is_active"])
    return competency
