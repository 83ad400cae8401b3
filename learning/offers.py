"""Reads of the catalogue: offer cards, an offer's upcoming sessions and pathways, and the
complementarity of offers (competencies × providers × départements)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from agenda.models import Event, Registration
from competencies.models import Competency
from territories.models import Department

from .models import Offer, Pathway, PathwayStep


def offers_for_cards(queryset):
    """What an offer card shows, prefetched: three more queries for any number of offers."""
    return queryset.prefetch_related(
        "providers",
        "departments",
        Prefetch("competencies", Competency.objects.select_related("domain")),
    )


def offer_upcoming_events(offer, person, now=None):
    """Published sessions of the offer that are not over, with the person's registration."""
    mine = Registration.objects.filter(
        event=OuterRef("pk"), person=person, status__in=Registration.ACTIVE
    )
    return (
        Event.objects.filter(
            offers=offer, ends_at__gte=now or timezone.now(), status=Event.Status.PUBLISHED
        )
        .select_related("organiser")
        .prefetch_related("departments")
        .annotate(my_status=Subquery(mine.values("status")[:1]))
        .order_by("starts_at", "pk")
    )


def pathways_using(offer):
    """Open pathways whose current steps point at the offer."""
    steps = PathwayStep.objects.filter(offer=offer, retired_at__isnull=True)
    return Pathway.objects.filter(is_active=True, pk__in=steps.values("pathway_id"))


# Complementarity: for each competency, the regional offers and, for each département, the
# departmental offers. A département's cell is
#   missing  — no offer for it at all, neither regional nor departmental;
#   doubled  — a regional and a departmental offer, or two departmental offers of providers
#              that share no one (a co-built offer is already articulated): "à articuler";
#   covered  — otherwise (possibly by the regional offer alone).
# The regional cell is missing when the competency has no offer anywhere, doubled when two
# regional offers share no provider, "none" when only départements offer the competency.
MISSING, DOUBLED, COVERED, NONE = "missing", "doubled", "covered", "none"


@dataclass
class Cell:
    place: str  # "Régional" or a département's name
    offers: list
    state: str
    code: str = ""  # the département's code; empty for the regional column
    by_region: bool = False  # a département covered by the regional offer alone
    also_regional: bool = False  # departmental offers that overlap a regional one


@dataclass
class Row:
    competency: Competency
    regional: Cell
    departments: list  # [Cell], in the order of the columns


@dataclass
class Complementarity:
    departments: list
    domains: list = field(default_factory=list)  # [(domain, [Row])]
    missing: list = field(default_factory=list)  # competencies with no offer at all
    doubled: list = field(default_factory=list)  # [(competency, Cell)]

    @property
    def columns(self):
        return len(self.departments) + 2


def _separate_providers(offers):
    """True when two of the offers share no provider: two structures doing the same thing."""
    sets = [{org.pk for org in offer.providers.all()} for offer in offers]
    return any(not (a & b) for i, a in enumerate(sets) for b in sets[i + 1 :])


def offers_complementarity():
    """The competencies × (regional, each département) table of active offers: six queries."""
    departments = list(Department.objects.all())
    competencies = list(Competency.objects.filter(is_active=True).select_related("domain"))
    offers = offers_for_cards(Offer.objects.filter(is_active=True))
    regional, local = defaultdict(list), defaultdict(list)
    for offer in offers:
        codes = [d.code for d in offer.departments.all()]
        for competency in offer.competencies.all():
            if not codes:
                regional[competency.pk].append(offer)
            for code in codes:
                local[competency.pk, code].append(offer)
    result = Complementarity(departments=departments)
    rows_by_domain = {}
    for competency in competencies:
        from_region = regional[competency.pk]
        anywhere = from_region or any(local[competency.pk, d.code] for d in departments)
        if not anywhere:
            result.missing.append(competency)
            state = MISSING
        elif len(from_region) > 1 and _separate_providers(from_region):
            state = DOUBLED
        else:
            state = COVERED if from_region else NONE
        row = Row(competency, Cell("Régional", from_region, state), [])
        if state == DOUBLED:
            result.doubled.append((competency, row.regional))
        for department in departments:
            offers_here = local[competency.pk, department.code]
            if not offers_here and not from_region:
                cell = Cell(department.name, [], MISSING, department.code)
            elif offers_here and (from_region or _separate_providers(offers_here)):
                cell = Cell(
                    department.name,
                    offers_here,
                    DOUBLED,
                    department.code,
                    also_regional=bool(from_region),
                )
                result.doubled.append((competency, cell))
            else:
                cell = Cell(
                    department.name,
                    offers_here,
                    COVERED,
                    department.code,
                    by_region=not offers_here,
                )
            row.departments.append(cell)
        rows_by_domain.setdefault(competency.domain, []).append(row)
    result.domains = list(rows_by_domain.items())
    return result
