"""The needs section and what the needs pages read, against the hand-counted world of the
needs indicators (2025): figures as the tables show them, to staff and to partners."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import Access, Role
from dashboards.filters import Period, scope_for
from dashboards.sections import Context
from dashboards.sections import needs as section
from tests.dashboards import test_needs_indicators as indicators_world

pytestmark = pytest.mark.django_db

world = indicators_world.world  # the fixture: the world counted by hand for the indicators
_grow = indicators_world._grow

YEAR = Period.year(2025)
STAFF = Access(Role.STAFF, department_codes=None)
ARS = Access(Role.PARTNER, department_codes=None)
DD93 = Access(Role.PARTNER, department_codes=frozenset({"93"}))


def context_for(access, **asked):
    return Context(YEAR, scope_for(access, **asked), access)


def figures(table):
    """{row label: {column key: label as shown}}."""
    keys = [column.key for column in table.columns]
    return {
        row.label: dict(zip(keys, (c.label for c in row.cells), strict=True)) for row in table.rows
    }


def test_staff_read_every_figure(world):
    built = section.build(context_for(STAFF))
    assert built.slug == "besoins" and built.title == "Besoins exprimés"
    assert [t.slug for t in built.tables] == [
        "besoins-niveaux",
        "besoins-competences",
        "besoins-thematiques",
    ]
    levels = figures(built.table("besoins-niveaux"))
    # Awa (environment) and Bilal (skills, and what he looks for) in 93; Chloé all three in 95;
    # Léa (75) wrote nothing; Paul is pending.
    assert levels["Seine-Saint-Denis (93)"] == {
        "people": "2",
        "environment": "1",
        "skills": "1",
        "peers": "1",
        "any": "2",
    }
    assert levels["Val-d'Oise (95)"]["peers"] == "1" and levels["Paris (75)"]["people"] == "1"
    assert levels["Essonne (91)"] == dict.fromkeys(levels["Essonne (91)"], "0")
    assert levels["Total"] == {
        "people": "4",
        "environment": "2",
        "skills": "2",
        "peers": "2",
        "any": "3",
    }
    competencies = figures(built.table("besoins-competences"))
    assert competencies["Plaidoyer"]["93"] == "2" and competencies["Plaidoyer"]["total"] == "2"
    assert (competencies["Diagnostic"]["93"], competencies["Diagnostic"]["95"]) == ("1", "1")
    assert competencies["Évaluation"]["total"] == "0"
    topics = figures(built.table("besoins-thematiques"))
    assert topics["Santé mentale"]["93"] == "1" and topics["Habitat"]["total"] == "1"
    cards = {card.label: card.cell.label for card in built.cards}
    assert cards["Ont écrit au moins un besoin"] == "3"
    assert cards["Besoins en compétences"] == "2"
    assert built.cards[0].detail == "sur 4 coordinateur·rices inscrit·es sur la plateforme"


def test_staff_follow_a_level_to_the_texts(world):
    built = section.build(context_for(STAFF))
    row = next(r for r in built.table("besoins-niveaux").rows if r.key == "93")
    environment = row.cells[1]
    assert (
        environment.link == "/tableau-de-bord/besoins/?annee=2025&departement=93#niveau-environment"
    )
    assert dict(built.links) == {
        "Les besoins exprimés en détail": "/tableau-de-bord/besoins/?annee=2025",
        "Besoins et offre, par compétence et département": (
            "/tableau-de-bord/besoins-et-offre/?annee=2025"
        ),
    }


def test_dd93_sees_its_departement_in_small_numbers_and_no_link(world):
    built = section.build(context_for(DD93, department_codes=["75"]))
    levels = built.table("besoins-niveaux")
    assert [row.key for row in levels.rows] == ["93"]
    # Two people counted, one or two at each level: every figure is « < 3 ».
    assert {cell.label for cell in levels.rows[0].cells} == {"< 3"}
    assert not any(cell.link for cell in levels.rows[0].cells)
    assert levels.note
    competencies = built.table("besoins-competences")
    assert [column.key for column in competencies.columns] == ["93", "total"]
    assert figures(competencies)["Plaidoyer"] == {"93": "< 3", "total": "< 3"}
    assert {card.cell.label for card in built.cards} == {"< 3"}
    assert all(card.link is None for card in built.cards)


def test_ars_sees_the_region_without_links_to_texts(world):
    built = section.build(context_for(ARS))
    levels = built.table("besoins-niveaux")
    assert len(levels.rows) == 9  # eight départements and the total
    assert not any(cell.link for row in levels.rows for cell in row.cells)
    assert figures(levels)["Seine-Saint-Denis (93)"]["people"] == "< 3"
    assert figures(levels)["Total"]["people"] == "4"


def test_the_texts_are_read_by_staff_only_grouped_by_level(world):
    texts = section.needs_texts(context_for(STAFF))
    assert texts.count == 3
    by_level = {
        key: [(author.person.first_name, items) for author, items in written]
        for key, _title, written in texts.levels
    }
    assert by_level["environment"] == [
        ("Awa", [("", "Convaincre les élus")]),
        ("Chloé", [("", "Un appui de ma hiérarchie")]),
    ]
    assert by_level["peers"] == [
        ("Bilal", [("Ce que je recherche", "Un binôme")]),
        ("Chloé", [("", "Des échanges entre CLSM")]),
    ]
    awa = texts.levels[0][2][0][0]
    assert awa.department == "Seine-Saint-Denis" and awa.code == "93"
    assert awa.scheme_url.startswith("/dispositifs/") and awa.scheme_name
    for partner in (ARS, DD93):
        with pytest.raises(PermissionDenied):
            section.needs_texts(context_for(partner))


def test_texts_are_searched_in_names_and_texts_folded(world):
    assert [
        a.person.first_name
        for a in section.needs_texts(context_for(STAFF), search="binome").authors
    ] == ["Bilal"]
    assert [
        a.person.first_name
        for a in section.needs_texts(context_for(STAFF), search="ELUS conv").authors
    ] == ["Awa"]
    assert section.needs_texts(context_for(STAFF), search="chloe hierarchie").count == 1
    assert section.needs_texts(context_for(STAFF), search="personne").count == 0


def test_a_person_without_a_post_has_no_register_link(world):
    lea = world["lea"].coordinator_profile
    lea.needs_skills = "Le plaidoyer"
    lea.save()
    texts = section.needs_texts(context_for(STAFF), search="plaidoyer")
    ((author, _items),) = texts.levels[1][2]
    assert author.department == "Paris" and author.scheme_url == ""


def test_needs_against_the_offer_by_departement(world):
    found = section.needs_against_offer(context_for(STAFF))
    departments = {d.code: d for d in found.departments}
    d93 = {
        line.competency.name: line for _domain, lines in departments["93"].domains for line in lines
    }
    # Évaluation: nobody in 93 looks for it nor rates it weakest: left out.
    assert set(d93) == {"Plaidoyer", "Diagnostic"}
    assert (d93["Plaidoyer"].needs.label, d93["Plaidoyer"].weak.label) == ("2", "1")
    assert d93["Plaidoyer"].offers == [world["regional"]]
    assert d93["Diagnostic"].uncovered and d93["Diagnostic"].offers == []
    assert [line.competency.name for line in departments["93"].uncovered] == ["Diagnostic"]
    assert departments["93"].where == "en Seine-Saint-Denis"
    d95 = {
        line.competency.name: line for _domain, lines in departments["95"].domains for line in lines
    }
    assert d95["Diagnostic"].offers == [world["in95"]] and not d95["Diagnostic"].uncovered
    assert d95["Évaluation"].uncovered and d95["Évaluation"].weak.label == "1"
    assert departments["91"].domains == []
    assert [d.code for d in found.uncovered] == ["93", "95"]
    assert [d.code for d in found.covered] == ["75"]  # Léa's weak Plaidoyer: the webinar
    assert [d.code for d in found.without_needs] == ["77", "78", "91", "92", "94"]
    assert departments["95"].where == "dans le Val-d’Oise"


def test_needs_against_the_offer_for_dd93(world):
    found = section.needs_against_offer(context_for(DD93, department_codes=["75"]))
    assert [d.code for d in found.departments] == ["93"]
    lines = {line.competency.name: line for _d, ls in found.departments[0].domains for line in ls}
    assert {lines["Diagnostic"].needs.label, lines["Diagnostic"].weak.label} == {"< 3"}
    assert lines["Diagnostic"].uncovered


@pytest.mark.parametrize("access", [ARS, DD93], ids=["ars", "dd93"])
def test_the_needs_page_hides_what_the_section_hides(world, access):
    """The competencies sought are one table: the page cannot show a figure the section hides."""
    context = context_for(access)
    in_section = section.build(context).table("besoins-competences")
    on_page = section.needs_against_offer(context_for(access)).needs
    assert figures(on_page) == figures(in_section)


def test_filters_carry_over_to_the_needs_pages(world):
    from datetime import date

    context = Context(
        Period.between(date(2025, 1, 1), date(2025, 6, 30)),
        scope_for(STAFF, department_codes=["93", "95"], scheme_kind="CLS"),
        STAFF,
    )
    assert context.link_params == {
        "du": "2025-01-01",
        "au": "2025-06-30",
        "departement": ["93", "95"],
        "type": "CLS",
    }
    # A partner's territory is implied, never written in the URL; a choice within it is.
    assert "departement" not in context_for(DD93).link_params
    crpv = Access(Role.PARTNER, department_codes=frozenset({"95", "78"}))
    assert context_for(crpv, department_codes=["95"]).link_params == {
        "annee": 2025,
        "departement": ["95"],
    }


@time_machine.travel("2026-11-25 12:00 +0100", tick=False)
def test_a_year_under_way_stays_the_year_in_links():
    context = Context(Period.year(2026).to_date(), scope_for(STAFF), STAFF)
    assert context.link_params == {"annee": 2026}


@pytest.mark.parametrize(
    "read",
    [section.build, section.needs_texts, section.needs_against_offer],
    ids=lambda f: f.__name__,
)
def test_queries_do_not_grow_with_the_data(world, read):
    context = context_for(STAFF)
    _grow(5)
    with CaptureQueriesContext(connection) as small:
        read(context_for(STAFF))
    _grow(200)
    with CaptureQueriesContext(connection) as large:
        read(context_for(STAFF))
    assert len(small) == len(large)
    assert context
