"""Reads of the peer network: the directory, always through the reader's territory."""

from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Coalesce

from coordinators.models import Scheme
from coordinators.selectors import add_months
from territories.models import Commune, Intercommunality

from ..models import DirectoryEntry, PeerProfile
from ..search import search_entries

# (key, label, at least, less than) in months of seniority.
SENIORITY_BANDS = [
    ("moins-1-an", "Moins d'un an", 0, 12),
    ("1-3-ans", "De 1 à 3 ans", 12, 36),
    ("plus-3-ans", "Plus de 3 ans", 36, None),
]


def _seniority_filter(key, today):
    """People who show their seniority and whose first post started within the band."""
    _key, _label, at_least, less_than = next(band for band in SENIORITY_BANDS if band[0] == key)
    condition = Q(seniority_since__lte=add_months(today, -at_least))
    if less_than is not None:
        condition &= Q(seniority_since__gt=add_months(today, -less_than))
    return condition


def directory_places(access):
    """The communes and EPT/EPCI where the reader's directory has someone: the filters' choices
    (a handful, where the list of every commune of the region would be 1,267 long)."""
    entries = access.scope(DirectoryEntry.objects.all(), "department")
    communes = Commune.objects.filter(pk__in=entries.values("commune")).order_by(
        "folded_name", "name"
    )
    intercommunalities = Intercommunality.objects.filter(
        Q(pk__in=communes.values("ept")) | Q(pk__in=communes.values("epci"))
    )
    return communes, intercommunalities


def directory_entries(access, filters, today):
    """The entries the reader may see (a partner: its territory), filtered and searched.

    `filters` are the cleaned values of `network.forms.DirectoryFilterForm`. Hidden fields
    cannot be filtered on either: an entry holds no seniority, background or topic its person
    hides."""
    entries = access.scope(DirectoryEntry.objects.all(), "department")
    if kind := filters.get("kind"):
        entries = entries.filter(
            person__in=DirectoryEntry.schemes.through.objects.filter(scheme__kind=kind).values(
                "directoryentry_id"
            )
        )
    if department := filters.get("department"):
        entries = entries.filter(department=department)
    if intercommunality := filters.get("intercommunality"):
        entries = entries.filter(
            Q(commune__ept=intercommunality) | Q(commune__epci=intercommunality)
        )
    if commune := filters.get("commune"):
        entries = entries.filter(commune=commune)
    if seniority := filters.get("seniority"):
        entries = entries.filter(_seniority_filter(seniority, today))
    if background := filters.get("background"):
        entries = entries.filter(background=background)
    if topic := filters.get("topic"):
        entries = entries.filter(
            person__in=DirectoryEntry.topics.through.objects.filter(topic=topic).values(
                "directoryentry_id"
            )
        )
    if competency := filters.get("competency"):
        entries = entries.filter(
            person__in=DirectoryEntry.competencies.through.objects.filter(
                competency=competency
            ).values("directoryentry_id")
        )
    return search_entries(entries, filters.get("q", ""))


def directory_cards(entries):
    """What a page of entries shows: the person, their profile as it is now (`shows_*` say
    which fields), their schemes and commune, in a fixed number of queries."""
    return (
        entries.select_related("person", "profile__background", "commune__department")
        # Whether peers may write to them: a person without settings accepts (the default).
        .annotate(accepts_messages=Coalesce("person__peer_profile__accepts_messages", Value(True)))
        .prefetch_related(
            Prefetch("schemes", queryset=Scheme.objects.order_by("kind", "name")),
            "profile__topics",
        )
    )


def with_peer_offers(entries):
    """`entries` (a page) with `offers` and `needs`: the names of the competencies and topics
    each person can help with and looks for, only if they show "can_help_with" (resp.
    "looking_for"), as for the free text. Four queries, whatever the page."""
    entries = list(entries)
    shown = {
        side: [e.person_id for e in entries if e.profile.shows(field)]
        for side, field in (("offers", "can_help_with"), ("needs", "looking_for"))
    }
    fields = {
        "offers": (PeerProfile.offered_competencies, PeerProfile.offered_topics),
        "needs": (PeerProfile.sought_competencies, PeerProfile.sought_topics),
    }
    names = {"offers": {}, "needs": {}}
    for side, (competencies, topics) in fields.items():
        links = [
            competencies.through.objects.filter(peerprofile_id__in=shown[side]).values_list(
                "peerprofile_id", "competency__name"
            ),
            topics.through.objects.filter(peerprofile_id__in=shown[side]).values_list(
                "peerprofile_id", "topic__name"
            ),
        ]
        for found in links:
            for person_id, name in found:
                names[side].setdefault(person_id, []).append(name)
    for entry in entries:
        entry.offers = sorted(names["offers"].get(entry.person_id, []))
        entry.needs = sorted(names["needs"].get(entry.person_id, []))
    return entries
