"""Needs indicators and needs against the offer, against a world counted by hand (2025)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordinators.models import CoordinatorProfile, Topic
from dashboards.filters import Period, Scope
from dashboards.indicators import needs
from learning.models import SelfAssessment, SelfAssessmentRating
from network.models import PeerProfile
from territories.models import Department
from tests.factories import CoordinatorProfileFactory, commune
from tests.learning.pathway_factories import (
    CompetencyFactory,
    OfferFactory,
    SelfAssessmentFactory,
)
from tests.network.directory_factories import bulk_people, person_in_post

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
YEAR = Period.year(2025)
STAFF = Scope(department_codes=None, regional=True, individual=True)
ARS = Scope(department_codes=None, regional=True)
DD93 = Scope(department_codes=frozenset({"93"}))


def at(year, month, day):
    return datetime(year, month, day, 12, tzinfo=PARIS)


def seek(user, competencies=(), topics=()):
    profile, _ = PeerProfile.objects.get_or_create(person=user)
    profile.sought_competencies.set(competencies)
    profile.sought_topics.set(topics)


def assess(user, when, levels):
    SelfAssessmentFactory(person=user, created_at=when, levels=levels)


@pytest.fixture
def world():
    """Awa and Bilal hold posts in 93, Chloé in 95 (CLSM); Léa holds none, her commune is
    Paris (75); Paul's sign-up is still pending (93)."""
    c1 = CompetencyFactory(name="Plaidoyer")
    c2 = CompetencyFactory(name="Diagnostic")
    c3 = CompetencyFactory(name="Évaluation")
    mental = Topic.objects.get_or_create(name="Santé mentale")[0]
    housing = Topic.objects.get_or_create(name="Habitat")[0]
    awa = person_in_post(first_name="Awa", needs_environment="Convaincre les élus").user
    bilal = person_in_post(
        first_name="Bilal",
        needs_skills="La méthodologie",
        needs_peers="  ",
        looking_for="Un binôme",
    ).user
    chloe = person_in_post(
        first_name="Chloé",
        kind="CLSM",
        commune_code="95585",
        department_code="95",
        needs_environment="Un appui de ma hiérarchie",
        needs_skills="Évaluer",
        needs_peers="Des échanges entre CLSM",
    ).user
    lea = CoordinatorProfileFactory(commune=commune("75056")).user
    paul = CoordinatorProfileFactory(
        status=CoordinatorProfile.Status.PENDING, needs_skills="Tout"
    ).user
    seek(awa, [c1], [mental])
    seek(bilal, [c1, c2], [housing])
    seek(chloe, [c2])
    seek(paul, [c1], [mental])
    assess(awa, at(2024, 3, 1), {c2: 1})
    assess(awa, at(2025, 3, 1), {c1: 1, c2: 3})  # her latest: weak in c1 only
    assess(bilal, at(2025, 3, 1), {c2: 2})
    assess(bilal, at(2026, 1, 10), {c2: 4})  # after the period
    assess(chloe, at(2025, 4, 1), {c3: 2})
    assess(lea, at(2025, 5, 1), {c1: 2})
    assess(paul, at(2025, 5, 1), {c3: 1})  # pending: not counted
    regional = OfferFactory(title="Webinaire plaidoyer", competencies=[c1])
    in95 = OfferFactory(
        title="Atelier diagnostic 95",
        competencies=[c2],
        departments=[Department.objects.get(code="95")],
    )
    OfferFactory(
        title="Atelier diagnostic 93 (fermé)",
        competencies=[c2],
        departments=[Department.objects.get(code="93")],
        is_active=False,
    )
    return locals()


def test_needs_at_the_three_levels(world):
    levels = needs.needs(YEAR, STAFF).levels
    # Counted: Awa, Bilal, Chloé, Léa (Paul is pending). Environment: Awa, Chloé; skills:
    # Bilal, Chloé; peers: Bilal (what he looks for; his blank needs_peers is nothing), Chloé;
    # anything: all but Léa.
    assert levels.total == {"people": 4, "environment": 2, "skills": 2, "peers": 2, "any": 3}
    assert levels.departments["93"] == {
        "people": 2,
        "environment": 1,
        "skills": 1,
        "peers": 1,
        "any": 2,
    }
    assert levels.departments["75"] == {
        "people": 1,
        "environment": 0,
        "skills": 0,
        "peers": 0,
        "any": 0,
    }
    assert needs.needs(YEAR, DD93).levels.total["people"] == 2
    # Chloé alone holds a CLSM post (Léa, without a post, leaves when a type is chosen).
    clsm = Scope(department_codes=None, scheme_kind="CLSM", regional=True)
    assert needs.needs(YEAR, clsm).levels.total == {
        "people": 1,
        "environment": 1,
        "skills": 1,
        "peers": 1,
        "any": 1,
    }


def test_needs_by_competency_and_topic(world):
    found = needs.needs(YEAR, ARS)
    competencies = {c.name: s for c, s in found.competencies}
    # Plaidoyer: Awa, Bilal (Paul pending); Diagnostic: Bilal (93), Chloé (95); Évaluation: none.
    assert competencies["Plaidoyer"].total == {"people": 2}
    assert competencies["Diagnostic"].departments["95"] == {"people": 1}
    assert competencies["Diagnostic"].departments["93"] == {"people": 1}
    assert competencies["Évaluation"].total == {"people": 0}
    topics = {t.name: s.total["people"] for t, s in found.topics}
    assert topics["Santé mentale"] == 1 and topics["Habitat"] == 1
    dd93 = {c.name: s.total for c, s in needs.needs(YEAR, DD93).competencies}
    assert dd93["Diagnostic"] == {"people": 1}


def test_needs_texts_are_for_staff_only(world):
    texts = needs.needs_texts(YEAR, STAFF)
    # Léa wrote nothing, Paul is pending: Awa and Bilal (93) then Chloé (95).
    assert [t["person"].first_name for t in texts] == ["Awa", "Bilal", "Chloé"]
    assert texts[0]["environment"] == "Convaincre les élus"
    assert texts[1]["looking_for"] == "Un binôme" and texts[1]["peers"] == ""
    for partner in (ARS, DD93):
        with pytest.raises(PermissionDenied):
            needs.needs_texts(YEAR, partner)


def test_needs_against_the_offer(world):
    rows = {row.competency.name: row for row in needs.needs_against_offer(YEAR, STAFF)}
    plaidoyer, diagnostic, evaluation = rows["Plaidoyer"], rows["Diagnostic"], rows["Évaluation"]
    # Plaidoyer: Awa and Bilal look for it; Awa (1) and Léa (2) rate it weakest; the regional
    # webinar covers every département.
    assert plaidoyer.total == {"needs": 2, "weak": 2}
    assert plaidoyer.departments["93"].offers == [world["regional"]]
    assert (plaidoyer.departments["75"].needs, plaidoyer.departments["75"].weak) == (0, 1)
    assert plaidoyer.without_offer == []
    # Diagnostic: in 93 Bilal looks for it and rates it 2 (his 4 is of 2026; Awa's latest is
    # 3), and the 93 workshop is closed: need without offer. 95 has its workshop.
    d93 = diagnostic.departments["93"]
    assert (d93.needs, d93.weak, d93.offers, d93.without_offer) == (1, 1, [], True)
    assert diagnostic.departments["95"].offers == [world["in95"]]
    assert diagnostic.without_offer == ["93"]
    # Évaluation: nobody looks for it, Chloé rates it 2, nothing offered anywhere.
    assert evaluation.total == {"needs": 0, "weak": 1}
    assert evaluation.without_offer == ["95"]
    dd93 = {row.competency.name: row for row in needs.needs_against_offer(YEAR, DD93)}
    assert list(dd93["Diagnostic"].departments) == ["93"]
    assert dd93["Diagnostic"].without_offer == ["93"]
    assert dd93["Évaluation"].without_offer == []


def _grow(count):
    """`count` more coordinators of 93 who look for a competency and topic, write needs and
    assess themselves twice."""
    people = bulk_people(count)
    CoordinatorProfile.objects.filter(user__in=people).update(
        needs_environment="Les élus", needs_skills="Plaidoyer"
    )
    competency = CompetencyFactory()
    assessments = SelfAssessment.objects.bulk_create(
        SelfAssessment(person=p, created_at=at(year, 2, 1)) for p in people for year in (2024, 2025)
    )
    SelfAssessmentRating.objects.bulk_create(
        SelfAssessmentRating(assessment=a, competency=competency, level=1 + i % 4)
        for i, a in enumerate(assessments)
    )
    OfferFactory(competencies=[competency])


@pytest.mark.parametrize(
    "indicator",
    [needs.needs, needs.needs_texts, needs.needs_against_offer],
    ids=lambda f: f.__name__,
)
def test_queries_do_not_grow_with_the_data(world, indicator):
    _grow(5)
    with CaptureQueriesContext(connection) as small:
        indicator(YEAR, STAFF)
    _grow(200)
    with CaptureQueriesContext(connection) as large:
        indicator(YEAR, STAFF)
    assert len(small) == len(large)
