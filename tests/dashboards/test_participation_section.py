"""The participation section as the page, the exports and the report show it: figures of the
hand-computed world of the indicators' tests, for staff and for partners."""

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from dashboards.filters import scope_for
from dashboards.forms import read_filters
from dashboards.sections import SECTIONS, Context
from dashboards.sections.participation import _hide_where_hidden, build
from dashboards.small_numbers import Shown, Suppressed
from dashboards.tables import Cell, Column, FigureTable, Row
from territories.models import Department
from tests.helpers import login

from . import test_participation_indicators as indicators
from .test_participation_indicators import CRPV95, DD93, PERIOD, STAFF, bulk_participation

# The indicators' hand-computed world and their day (2026-11-25), shared.
world = indicators.world
_today = indicators._today

pytestmark = pytest.mark.django_db


def section(access, **asked):
    return build(Context(PERIOD, scope_for(access, **asked), access))


def labels(table):
    """{row label: [cell labels]}."""
    return {row.label: [cell.label for cell in row.cells] for row in table.rows}


def test_staff_see_every_figure_by_departement(world):
    result = section(STAFF)
    assert (result.slug, result.title) == ("participation", dict(SECTIONS)["participation"])
    attendance = labels(result.table("participation-inscriptions"))
    # Registrations, of which at recorded events, present, no-shows, rate (see the indicators).
    assert attendance["Seine-Saint-Denis (93)"] == ["3", "3", "2", "0", "67"]
    assert attendance["Val-d'Oise (95)"] == ["4", "2", "1", "1", "50"]
    assert attendance["Paris (75)"] == ["2", "1", "1", "0", "100"]
    assert attendance["Essonne (91)"] == ["0", "0", "0", "0", "–"]
    assert attendance["Total"] == ["10", "7", "5", "1", "71"]
    events = labels(result.table("participation-evenements"))
    # Regional, departmental, all.
    assert events["Journée régionale"] == ["2", "0", "2"]
    assert events["Webinaire"] == ["1", "1", "2"]
    assert events["Atelier départemental"] == ["0", "1", "1"]
    assert events["Visite de site"] == ["0", "0", "0"]
    assert "Séance de tutorat" not in events
    assert events["Total"] == ["3", "2", "5"]
    by_department = labels(result.table("participation-evenements-departements"))
    assert by_department["Seine-Saint-Denis (93)"] == ["1", "1", "2"]
    assert by_department["Paris (75)"] == ["1", "1", "2"]
    assert by_department["Total"] == ["3", "2", "5"]
    reach = labels(result.table("participation-portee"))
    assert reach["Seine-Saint-Denis (93)"] == ["3", "2", "67"]
    assert reach["Total"] == ["5", "4", "80"]
    welcome = labels(result.table("participation-accueil"))
    assert welcome["Val-d'Oise (95)"] == ["1", "1", "100"]
    assert welcome["Paris (75)"] == ["1", "0", "0"]
    assert welcome["Total"] == ["2", "1", "50"]
    trend = result.table("participation-tendance")
    assert (trend.row_header, trend.chart) == ("Année", "lines")
    assert labels(trend) == {
        "2024": ["0", "0", "4", "0", "0"],
        "2025": ["1", "1", "4", "1", "25"],
        "2026": ["10", "5", "5", "4", "80"],
    }
    cards = {card.label: (card.cell.label, card.detail) for card in result.cards}
    assert cards["inscriptions aux événements"] == ("10", "événements de la période : 5")
    assert cards["taux de présence"] == ("71", "absences non excusées : 1")
    assert cards["coordinateur·rices venu·es à un événement au moins"] == (
        "80",
        "4 sur 5 en poste",
    )
    assert cards["nouveaux arrivé·es venu·es à une journée d’accueil"] == (
        "1",
        "dans les 6 mois ; nouveaux arrivé·es de la période : 2",
    )
    for table in result.tables:
        assert table.slug.startswith("participation-") and table.description
        assert not table.suppressed


def query(url):
    parsed = urlparse(url)
    return parsed.path, parse_qs(parsed.query)


def test_staff_follow_event_figures_to_the_agenda(world):
    result = section(STAFF)
    webinars = next(
        row for row in result.table("participation-evenements").rows if row.key == "webinar"
    )
    assert webinars.cells[0].link is None  # the agenda cannot filter by provider
    assert query(webinars.cells[2].link) == ("/agenda/", {"kind": ["webinar"], "quand": ["passes"]})
    # A département's registrations: its agenda, where staff open each event's registrations.
    row = next(r for r in result.table("participation-inscriptions").rows if r.key == "93")
    pk = str(Department.objects.get(code="93").pk)
    assert query(row.link) == ("/agenda/", {"department": [pk], "quand": ["passes"]})
    assert ("Agenda des événements passés", "/agenda/?quand=passes") in result.links


def test_dd93_sees_93_only_with_small_numbers_hidden(world):
    result = section(DD93)
    for table in result.tables:
        if table.row_header == "Département":
            assert [row.key for row in table.rows] == ["93"], table.slug
    # 3 registrations (A at E1 and E3, B at E3), 2 present: hidden, and the rate with them
    # (67 % of 3 would give 2 away).
    assert labels(result.table("participation-inscriptions")) == {
        "Seine-Saint-Denis (93)": ["3", "3", "< 3", "0", "< 3"]
    }
    # Events are not about people: E1 (regional day) and E3 (the DD's workshop).
    events = labels(result.table("participation-evenements"))
    assert events["Journée régionale"] == ["1", "0", "1"]
    assert events["Atelier départemental"] == ["0", "1", "1"]
    assert events["Total"] == ["1", "1", "2"]
    assert labels(result.table("participation-portee")) == {
        "Seine-Saint-Denis (93)": ["3", "< 3", "< 3"]
    }
    assert labels(result.table("participation-accueil")) == {
        "Seine-Saint-Denis (93)": ["0", "0", "–"]
    }
    # 2025: A at E8 (1); 2026: 3 registrations, 2 present; 3 in post, 1 then 2 reached.
    assert labels(result.table("participation-tendance")) == {
        "2024": ["0", "0", "3", "0", "0"],
        "2025": ["< 3", "< 3", "3", "< 3", "< 3"],
        "2026": ["3", "< 3", "3", "< 3", "< 3"],
    }
    cards = {card.label: (card.cell.label, card.detail) for card in result.cards}
    assert cards["inscriptions aux événements"] == ("3", "événements de la période : 2")
    assert cards["taux de présence"][0] == "< 3"
    assert cards["coordinateur·rices venu·es à un événement au moins"] == (
        "< 3",
        "< 3 sur 3 en poste",
    )
    # No link from a count of people for partners; the agenda of their département for events.
    assert all(row.link is None for row in result.table("participation-inscriptions").rows)
    total = result.table("participation-evenements").rows[-1]
    pk = str(Department.objects.get(code="93").pk)
    assert query(total.cells[2].link)[1]["department"] == [pk]


def test_no_hidden_figure_follows_from_a_column_total(world):
    # CRPV 95 and 78: a row per département and a total row.
    result = section(CRPV95)
    for table in result.tables:
        totals = [row for row in table.rows if row.total]
        if not totals:
            continue
        inner = [row for row in table.rows if not row.total]
        for j, total in enumerate(totals[0].cells):
            hidden = [row for row in inner if row.cells[j].suppressed]
            assert total.suppressed or len(hidden) != 1, (table.slug, table.columns[j].key)
    attendance = labels(result.table("participation-inscriptions"))
    # C and D: 4 seats, 2 at E1 (recorded), C present, D absent.
    assert attendance["Val-d'Oise (95)"] == ["4", "< 3", "< 3", "< 3", "< 3"]
    assert attendance["Yvelines (78)"] == ["0", "0", "0", "0", "–"]
    assert attendance["Total"] == ["4", "< 3", "< 3", "< 3", "< 3"]


def test_dd93_asking_for_75_gets_93(world):
    request = RequestFactory().get("/tableau-de-bord/", {"annee": "2026", "departement": "75"})
    request.access = DD93
    context = read_filters(request).context
    assert context.scope.department_codes == frozenset({"93"})
    asked = build(context)
    assert labels(asked.table("participation-inscriptions")) == labels(
        section(DD93).table("participation-inscriptions")
    )
    assert labels(section(DD93, department_codes=["75"]).table("participation-portee")) == {
        "Seine-Saint-Denis (93)": ["3", "< 3", "< 3"]
    }


@pytest.mark.parametrize("access", [STAFF, DD93], ids=["region", "dd93"])
def test_the_section_s_queries_are_constant(access):
    def queries():
        context = Context(PERIOD, scope_for(access), access)
        with CaptureQueriesContext(connection) as captured:
            build(context)
        return len(captured)

    bulk_participation(5)
    small = queries()
    bulk_participation(60)
    assert queries() == small


def test_the_page_shows_dd93_its_own_participation_whatever_the_url_asks(client, dd93, world):
    login(client, dd93)
    response = client.get("/tableau-de-bord/", {"annee": "2026", "departement": "75"})
    assert response.status_code == 200
    (participation,) = [s for s in response.context["sections"] if s.slug == "participation"]
    assert labels(participation.table("participation-inscriptions")) == {
        "Seine-Saint-Denis (93)": ["3", "3", "< 3", "0", "< 3"]
    }
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    assert "Participation aux temps collectifs" in page
    assert "Inscriptions et présence par département" in page
    assert "Paris (75)" not in page


def test_the_trend_hides_the_period_s_figures_its_tables_hide():
    # Should a section's total be hidden (complementary suppression), the trend's row for the
    # same year hides it too, or the trend would give it away.
    columns = [Column("registrations", "Inscriptions"), Column("present", "Présences")]
    source = FigureTable(
        "s",
        "S",
        columns,
        [
            Row("93", "93", [Cell(Shown(5)), Cell(Suppressed())]),
            Row(None, "Total", [Cell(Shown(9)), Cell(Suppressed())], total=True),
        ],
    )
    trend = FigureTable(
        "t",
        "T",
        columns,
        [
            Row(2025, "2025", [Cell(Shown(4)), Cell(Shown(4))]),
            Row(2026, "2026", [Cell(Shown(9)), Cell(Shown(7))]),
        ],
    )
    _hide_where_hidden(trend, 2026, source, ("registrations", "present"))
    assert labels(trend) == {"2025": ["4", "4"], "2026": ["9", "< 3"]}
