"""What coordinators say they need, and needs against the offer.

Coordinators write their needs on their profile at three levels: their environment
(`CoordinatorProfile.needs_environment`), skills (`needs_skills`) and peer links (`needs_peers`,
and what they look for from peers, `looking_for`); they choose the competencies and topics they
look for on the network's side (`network.PeerProfile.sought_competencies`, `sought_topics`).
Profiles keep no history: these are what is written now, by the approved coordinators with an
active account, each placed in a département on the period's end
(`dashboards.indicators.people`). Raw counts: small numbers are suppressed by the pages."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber, Trim

from competencies.models import Competency
from coordinators.models import CoordinatorProfile, Topic
from learning.models import SelfAssessment, SelfAssessmentRating
from learning.offers import offers_complementarity
from network.models import PeerProfile

from .people import Split, in_scope, scope_codes, split

APPROVED = CoordinatorProfile.Status.APPROVED
LEVELS = ("environment", "skills", "peers")
WEAK_LEVELS = (1, 2)  # the lowest self-assessed levels: "je découvre", "avec de l'aide"


def _profiles(period, scope):
    """The approved coordinators' profiles in the scope, each with what it wrote, trimmed."""
    profiles = CoordinatorProfile.objects.filter(status=APPROVED, user__is_active=True)
    return in_scope(profiles, scope, "user", period.end).annotate(
        environment_text=Trim("needs_environment"),
        skills_text=Trim("needs_skills"),
        peers_text=Trim("needs_peers"),
        looking_text=Trim("looking_for"),
    )


def _wrote(level):
    if level == "peers":
        return ~Q(peers_text="") | ~Q(looking_text="")
    return ~Q(**{f"{level}_text": ""})


def _sought(through, key, period, scope):
    """Rows (item id, place, people) of the approved coordinators looking for each item."""
    rows = through.objects.filter(
        peerprofile__person__is_active=True,
        peerprofile__person__coordinator_profile__status=APPROVED,
    )
    return (
        in_scope(rows, scope, "peerprofile__person", period.end)
        .values(key, "place")
        .annotate(people=Count("peerprofile", distinct=True))
        .order_by()
    )


@dataclass
class Needs:
    """`levels`: `people` (the coordinators counted), how many wrote something at each level
    (`environment`, `skills`, `peers`) and at any (`any`); `competencies` and `topics`:
    [(competency or topic, Split of `people` looking for it)], every active competency and
    every topic, in their order."""

    levels: Split
    competencies: list = field(default_factory=list)
    topics: list = field(default_factory=list)


def _by_item(items, rows, key, codes):
    grouped = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return [(item, split(grouped.get(item.pk, []), ("people",), codes)) for item in items]


def needs(period, scope) -> Needs:
    """What coordinators wrote and chose about their needs. Six queries."""
    codes = scope_codes(scope)
    levels = (
        _profiles(period, scope)
        .values("place")
        .annotate(
            people=Count("pk"),
            **{level: Count("pk", filter=_wrote(level)) for level in LEVELS},
            any=Count("pk", filter=_wrote("environment") | _wrote("skills") | _wrote("peers")),
        )
        .order_by()
    )
    competencies = _sought(PeerProfile.sought_competencies.through, "competency", period, scope)
    topics = _sought(PeerProfile.sought_topics.through, "topic", period, scope)
    return Needs(
        levels=split(levels, ("people", *LEVELS, "any"), codes),
        competencies=_by_item(
            Competency.objects.filter(is_active=True).select_related("domain"),
            competencies,
            "competency",
            codes,
        ),
        topics=_by_item(Topic.objects.all(), topics, "topic", codes),
    )


def needs_texts(period, scope) -> list:
    """The texts people wrote about their needs, with their author, for STAFF ONLY: the caller
    checks that the reader is staff (`scope.individual`, as `scope_for` sets it for staff and
    superusers); partners never read a person's needs. Refused here too (PermissionDenied)
    when the scope is not individual. Dicts of `person`, `place`, `environment`, `skills`,
    `peers`, `looking_for`, for the people who wrote something, by département then name; one
    query."""
    if not scope.individual:
        raise PermissionDenied("Seule l’équipe lit les besoins écrits par chacun·e.")
    profiles = (
        _profiles(period, scope)
        .filter(_wrote("environment") | _wrote("skills") | _wrote("peers"))
        .select_related("user")
        .order_by(F("place").asc(nulls_last=True), "user__last_name", "user__first_name", "pk")
    )
    return [
        {
            "person": profile.user,
            "place": profile.place,
            "environment": profile.environment_text,
            "skills": profile.skills_text,
            "peers": profile.peers_text,
            "looking_for": profile.looking_text,
        }
        for profile in profiles
    ]


# --- Needs against the offer ----------------------------------------------------------------


@dataclass
class NeedCell:
    """A competency in a département: `needs` (people looking for it), `weak` (people whose
    latest self-assessment rates it 1 or 2), the active `offers` that cover it (regional ones
    and the département's) and `without_offer`: needs or weak assessments, and no offer."""

    needs: int
    weak: int
    offers: list
    without_offer: bool


@dataclass
class NeedRow:
    competency: Competency
    total: dict  # `needs`, `weak` over the scope (people of unknown département included)
    departments: dict  # code → NeedCell, every département of the scope

    @property
    def without_offer(self):
        """The codes of the départements where people need it and nothing is offered."""
        return [code for code, cell in self.departments.items() if cell.without_offer]


def _weak(period, scope):
    """Rows (competency, place, people) of people whose latest self-assessment up to the
    period's end rates the competency at the lowest levels. Two queries."""
    latest_ids = list(
        SelfAssessment.objects.filter(created_at__date__lte=period.end)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("person_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list("pk", flat=True)
    )
    ratings = SelfAssessmentRating.objects.filter(
        assessment_id__in=latest_ids,
        level__in=WEAK_LEVELS,
        assessment__person__is_active=True,
        assessment__person__coordinator_profile__status=APPROVED,
    )
    return (
        in_scope(ratings, scope, "assessment__person", period.end)
        .values("competency", "place")
        .annotate(people=Count("pk"))
        .order_by()
    )


def needs_against_offer(period, scope) -> list:
    """[NeedRow] for each active competency, in the framework's order: people who look for it
    and people who rate themselves weakest in it, beside the active offers that cover it
    (`learning.offers.offers_complementarity`: a regional offer covers every département, a
    departmental one its own). Counts only. Ten queries, whatever the volume."""
    codes = scope_codes(scope)
    needed = _sought(PeerProfile.sought_competencies.through, "competency", period, scope)
    wanted, weak, total = {}, {}, {}
    for row in needed:
        wanted[row["competency"], row["place"]] = row["people"]
        total.setdefault(row["competency"], {"needs": 0, "weak": 0})["needs"] += row["people"]
    for row in _weak(period, scope):
        weak[row["competency"], row["place"]] = row["people"]
        total.setdefault(row["competency"], {"needs": 0, "weak": 0})["weak"] += row["people"]
    table = offers_complementarity()
    result = []
    for _domain, rows in table.domains:
        for row in rows:
            pk = row.competency.pk
            cells = {cell.code: cell for cell in row.departments}
            departments = {}
            for code in codes:
                offers = list(row.regional.offers)
                offers += (
                    [o for o in cells[code].offers if o not in offers] if code in cells else []
                )
                n, w = wanted.get((pk, code), 0), weak.get((pk, code), 0)
                departments[code] = NeedCell(n, w, offers, bool(n or w) and not offers)
            result.append(
                NeedRow(row.competency, total.get(pk, {"needs": 0, "weak": 0}), departments)
            )
    return result
