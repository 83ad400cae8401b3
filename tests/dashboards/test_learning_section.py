"""The "parcours" section as the page, the exports and the report show it: the learning
indicators' hand-computed world (tests/dashboards/test_learning_indicators.py) read by staff and
by the ARS DD 93 ("< 3", only 93, links only to what a partner may see)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.access import Access, Role
from dashboards.filters import scope_for
from dashboards.sections import Context, build_sections
from dashboards.sections import learning as section
from tests.dashboards import test_learning_indicators as indicators
from tests.dashboards.test_learning_indicators import YEAR, assess, at
from tests.dashboards.test_learning_indicators import _grow as grow
from tests.learning.pathway_factories import CompetencyFactory, EnrolmentFactory
from tests.network.directory_factories import person_in_post

pytestmark = pytest.mark.django_db

world = indicators.world  # the indicator tests' hand-computed world, as a fixture here

STAFF = Access(Role.STAFF, department_codes=None)
DD93 = Access(Role.PARTNER, department_codes=frozenset({"93"}))
ARS = Access(Role.PARTNER, department_codes=None)


def built(access, **asked):
    return section.build(Context(YEAR, scope_for(access, **asked), access))


def labels(table):
    """{row label: [cell labels]}"""
    return {row.label: [cell.label for cell in row.cells] for row in table.rows}


def test_staff_read_every_figure_by_departement(world):
    result = built(STAFF)
    assert (result.slug, result.title) == ("parcours", "Parcours et auto-évaluations")
    enrolments = labels(result.table("parcours-inscriptions"))
    # new, running on 31/12, left (the indicator's figures, zeros included, 8 départements).
    assert enrolments["Seine-Saint-Denis (93)"] == ["1", "2", "0"]
    assert enrolments["Val-d'Oise (95)"] == ["2", "1", "1"]
    assert enrolments["Paris (75)"] == ["1", "1", "0"]
    assert enrolments["Seine-et-Marne (77)"] == ["0", "0", "0"]
    assert enrolments["Total"] == ["4", "4", "1"]
    assert len(enrolments) == 9
    steps = labels(result.table("parcours-etapes"))
    assert steps["Seine-Saint-Denis (93)"] == ["4", "1"]
    assert steps["Total"] == ["7", "3"]
    # Completion of the pathways begun in 2025: P 1 of 3, Q 1 of 1, together 2 of 4.
    completion = labels(result.table("parcours-achevement"))
    assert completion == {
        "Prendre son poste": ["3", "1", "33"],
        "Renouveler un CLS": ["1", "1", "100"],
        "Total": ["4", "2", "50"],
    }
    # Completed in 2025 and their medians: [10, 245] in 93, [0] in 75, all [0, 10, 245].
    durations = labels(result.table("parcours-duree"))
    assert durations["Seine-Saint-Denis (93)"] == ["2", "10"]
    assert durations["Paris (75)"] == ["1", "0"]
    assert durations["Val-d'Oise (95)"] == ["0", "–"]
    assert durations["Total"] == ["3", "10"]
    assert labels(result.table("parcours-duree-parcours")) == {
        "Prendre son poste": ["1", "10"],
        "Renouveler un CLS": ["2", "0"],
        "Total": ["3", "10"],
    }
    cards = {card.label: card.cell.label for card in result.cards}
    assert cards == {
        "Nouvelles inscriptions à un parcours": "4",
        "Étapes de parcours réalisées": "7",
        "Parcours terminés": "3",
        "Durée médiane pour terminer un parcours": "10",
    }
    assert all(table.description for table in result.tables)


def test_a_pathway_row_links_to_its_pathway(world):
    table = built(STAFF).table("parcours-achevement")
    row = next(row for row in table.rows if row.label == "Prendre son poste")
    assert row.link == reverse("pathway", args=[world["p"].pk])


def test_the_dd93_reads_93_only_with_small_numbers_hidden(world):
    result = built(DD93)
    enrolments = labels(result.table("parcours-inscriptions"))
    assert enrolments == {"Seine-Saint-Denis (93)": ["< 3", "< 3", "0"]}
    assert labels(result.table("parcours-etapes")) == {"Seine-Saint-Denis (93)": ["4", "< 3"]}
    # Awa's P, begun and completed: 1 of 1, and so is the rate (it would give both back).
    assert labels(result.table("parcours-achevement")) == {
        "Prendre son poste": ["< 3", "< 3", "< 3"]
    }
    # Two completions in 93: the median of two durations is about them.
    assert labels(result.table("parcours-duree")) == {"Seine-Saint-Denis (93)": ["< 3", "< 3"]}
    cards = {card.label: card for card in result.cards}
    assert cards["Nouvelles inscriptions à un parcours"].value.label == "< 3"
    assert cards["Nouvelles inscriptions à un parcours"].link is None  # never on a hidden figure
    assert cards["Étapes de parcours réalisées"].value.label == "4"
    assert cards["Étapes de parcours réalisées"].link == reverse("pathways")
    assert cards["Durée médiane pour terminer un parcours"].value.label == "< 3"


def test_a_rate_is_hidden_with_the_count_it_would_give_back(world):
    # Two more people of 93 join P in 2025 and finish nothing: 3 enrolments, 1 completed.
    for name in ("Bintou", "Chérif"):
        EnrolmentFactory(
            pathway=world["p"],
            person=person_in_post(first_name=name).user,
            started_at=at(2025, 4, 1),
        )
    completion = labels(built(DD93).table("parcours-achevement"))
    # 33 % of the 3 shown would say 1 completed: the rate is hidden with it.
    assert completion == {"Prendre son poste": ["3", "< 3", "< 3"]}
    assert labels(built(STAFF).table("parcours-achevement"))["Prendre son poste"] == [
        "5",
        "1",
        "20",
    ]


def test_the_dd93_asking_for_75_still_reads_93(world):
    result = built(DD93, department_codes=["75"])
    assert list(labels(result.table("parcours-inscriptions"))) == ["Seine-Saint-Denis (93)"]
    # Léa's Q (75) is not counted: only Awa's P is.
    assert list(labels(result.table("parcours-achevement"))) == ["Prendre son poste"]


def test_a_regional_partner_gets_small_numbers_hidden_with_their_complements(world):
    enrolments = built(ARS).table("parcours-inscriptions")
    rows = labels(enrolments)
    # "left": 95 has 1, the total 1: both hidden, and no shown figure gives them back.
    assert rows["Val-d'Oise (95)"][2] == "< 3"
    assert rows["Total"][2] == "< 3"
    assert rows["Seine-et-Marne (77)"] == ["0", "0", "0"]
    assert not any(cell.link for row in enrolments.rows for cell in row.cells if cell.suppressed)


def _progression_world():
    """Six people of 93 and Julien (95) rated "Plaidoyer" in 2024 then 2025; four of the six
    rated "Animer un partenariat" too (the world of the indicator's test)."""
    c1 = CompetencyFactory(name="Plaidoyer")
    c2 = CompetencyFactory(name="Animer un partenariat")
    CompetencyFactory(name="Jamais évaluée")
    pairs = [(1, 3), (2, 2), (2, 3), (3, 2), (1, 2), (2, 4)]
    for i, (first, latest) in enumerate(pairs):
        person = person_in_post(first_name=f"P{i}").user
        assess(person, at(2024, 5, 1), {c1: first, **({c2: 2} if i < 4 else {})})
        assess(person, at(2025, 6, 1), {c1: latest, **({c2: 3} if i < 4 else {})})
    julien = person_in_post(
        first_name="Julien", kind="CLSM", commune_code="95585", department_code="95"
    ).user
    assess(julien, at(2024, 2, 1), {c1: 1})
    assess(julien, at(2025, 2, 1), {c1: 4})


def test_self_assessment_progression_for_staff_and_the_dd93(db):
    _progression_world()
    staff = labels(built(STAFF).table("parcours-auto-evaluations"))
    # people, first, latest (averages, French decimals), improved, same, lower; under 5
    # people, the size only.
    assert staff == {
        "Plaidoyer": ["7", "1,7", "2,9", "5", "1", "1"],
        "Animer un partenariat": ["4", "–", "–", "–", "–", "–"],
    }
    partner = labels(built(DD93).table("parcours-auto-evaluations"))
    # 93: six people, 4 improved, 1 same, 1 lower: the two ones hidden, and the 4 with them:
    # 6 - 4 would leave 2 to two hidden figures of at least 1 each, so 1 and 1.
    assert partner == {
        "Plaidoyer": ["6", "1,8", "2,7", "< 3", "< 3", "< 3"],
        "Animer un partenariat": ["4", "–", "–", "–", "–", "–"],
    }


def test_a_group_of_one_or_two_reads_less_than_3_to_a_partner(db):
    competency = CompetencyFactory(name="Plaidoyer")
    for i in range(2):
        person = person_in_post(first_name=f"P{i}").user
        assess(person, at(2024, 5, 1), {competency: 1})
        assess(person, at(2025, 5, 1), {competency: 2})
    assert labels(built(DD93).table("parcours-auto-evaluations")) == {
        "Plaidoyer": ["< 3", "–", "–", "–", "–", "–"]
    }
    assert labels(built(STAFF).table("parcours-auto-evaluations"))["Plaidoyer"][0] == "2"


def test_links_to_the_pathways_the_summary_and_the_complementarity(db):
    assert built(STAFF).links == [
        ("Les parcours", reverse("pathways")),
        ("La synthèse des auto-évaluations", reverse("self_assessment_aggregates")),
        (
            "La complémentarité des offres par département",
            reverse("offers_complementarity"),
        ),
    ]
    partner = dict(built(DD93).links)
    assert partner["La synthèse des auto-évaluations"] == (
        reverse("self_assessment_aggregates") + "?departement=93"
    )
    assert len(partner) == 3  # partners read all three (aggregates of people only)


def test_the_section_is_built_with_the_others(world):
    context = Context(YEAR, scope_for(STAFF), STAFF)
    (result,) = build_sections(context, only={"parcours"})
    assert result.table("parcours-inscriptions") is not None


@pytest.mark.parametrize("access", [STAFF, DD93], ids=["staff", "dd93"])
def test_queries_do_not_grow_with_the_data(world, access):
    grow(5)
    with CaptureQueriesContext(connection) as small:
        built(access)
    grow(200)
    with CaptureQueriesContext(connection) as large:
        result = built(access)
    assert len(small) == len(large)
    assert labels(result.table("parcours-etapes"))  # something was counted
