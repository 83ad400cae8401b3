"""The dashboard page, its register section, its exports and the list of arrivals and
departures: figures as each reader sees them (the world of test_register_indicators, written by
hand there), a partner's territory never widened by the URL, wrong periods said in French."""

import codecs
import csv
import html
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import PostFactory, SchemeFactory, TenureFactory, UserFactory
from tests.helpers import count_queries, login

from .test_register_indicators import _today, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

URL = "/tableau-de-bord/"


def text(response):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def table(context, slug):
    for section in context["sections"]:
        found = section.table(slug)
        if found:
            return found
    raise AssertionError(slug)


def row(figure_table, key):
    found = next(r for r in figure_table.rows if r.key == key)
    return [cell.label for cell in found.cells]


def total(figure_table):
    return [cell.label for cell in figure_table.rows[-1].cells]


def test_staff_see_the_region_side_by_side(client, staff, world):  # noqa: F811
    login(client, staff)
    response = client.get(URL, {"annee": 2026})
    assert response.status_code == 200
    posts = table(response.context, "registre-postes")
    # The year under way is read on today, 2026-11-25 (not on 2026-12-31 as the indicators'
    # tests do). 93: P1, P7 filled, P2 vacant since 2026-05-01 (208 days: 30 + 31 + 30 + 31
    # + 31 + 30 + 31 + 24), P3 unknown; S1 and S2 due. 95: P5 vacant since 2026-01-31 (298).
    assert row(posts, "93") == ["2", "1", "1", "4", "208", "208", "2"]
    assert row(posts, "95") == ["2", "1", "0", "3", "298", "298", "0"]
    assert row(posts, "77") == ["0", "0", "0", "0", "–", "–", "0"]
    # The shared P7 once in the total: 7 posts, not 8.
    assert total(posts) == ["4", "2", "1", "7", "253", "298", "2"]
    page = text(response)
    assert "2026, jusqu’au 25/11/2026" in page
    assert "Toute la région Île-de-France" in page
    assert "Seine-Saint-Denis (93)" in page and "Paris (75)" in page
    # Staff see every figure, small ones included, and each links to its list.
    seniority = table(response.context, "registre-anciennete")
    assert row(seniority, "75") == ["0", "0", "1", "0", "1"]
    vacant = next(r for r in posts.rows if r.key == "93").cells[1]
    assert vacant.link.startswith(reverse("schemes")) and "vacancy=true" in vacant.link


def test_the_people_in_post_card_counts_a_person_once(client, staff, world):  # noqa: F811
    login(client, staff)
    response = client.get(URL, {"annee": 2026})
    cards = {card.label: card for card in response.context["sections"][0].cards}
    # Alice, Carla, Fay (93 and 95, once), Dan, Eve: 5 people.
    assert cards["coordinateur·rices en poste"].cell.label == "5"
    assert cards["arrivées en 2026"].cell.label == "2"
    assert cards["postes vacants"].cell.label == "2"


def test_dd93_sees_its_departement_only_whatever_the_url(client, dd93, world):  # noqa: F811
    login(client, dd93)
    for query in ({"annee": 2026}, {"annee": 2026, "departement": ["75", "95"]}):
        response = client.get(URL, query)
        assert response.status_code == 200
        for section in response.context["sections"]:
            for figure_table in section.tables:
                keys = {r.key for r in figure_table.rows if not r.total}
                assert figure_table.row_header != "Département" or keys <= {"93"}, figure_table.slug
        page = text(response)
        assert "Paris (75)" not in page and "Val-d'Oise (95)" not in page
        title = re.search(r"<title>([^<]*)</title>", response.content.decode())[1]
        assert html.unescape(title).startswith("Tableau de bord · Seine-Saint-Denis · 2026, jusqu")
        posts = table(response.context, "registre-postes")
        assert row(posts, "93") == ["2", "1", "1", "4", "208", "208", "2"]
        # About people: 1 arrival and 1 departure in 2026 in 93 are hidden, and so is what
        # would give them away (the column of the three years).
        trend = table(response.context, "registre-mouvements")
        assert row(trend, 2026) == ["< 3", "< 3"]
        assert "« < 3 »" in page


@pytest.mark.parametrize("who", ["crpv95", "ars_hq"])
def test_a_partner_s_tables_never_leave_a_lone_hidden_figure(client, request, who, world):  # noqa: F811
    """Differencing: in every table shown to a partner, no line that adds up (a row to its total
    column, a column to the total row) has exactly one hidden figure (else total − shown =
    hidden)."""
    login(client, request.getfixturevalue(who))
    response = client.get(URL, {"annee": 2026})
    hidden_somewhere = False
    for section in response.context["sections"]:
        for figure_table in section.tables:
            counts = [i for i, c in enumerate(figure_table.columns) if c.kind == "count"]
            lines = [[r.cells[i] for i in counts] for r in figure_table.rows]
            checked = lines if figure_table.row_sums else []
            if figure_table.column_sums:
                checked += [[line[j] for line in lines] for j in range(len(counts))]
            for line in checked:
                hidden = sum(cell.suppressed for cell in line)
                hidden_somewhere |= hidden > 0
                assert hidden != 1, (figure_table.slug, [c.label for c in line])
    assert hidden_somewhere


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"du": "2026-06-30", "au": "2026-01-01"}, "après sa fin"),
        ({"du": "2010-01-01", "au": "2020-12-31"}, "commencent en 2015"),
        ({"du": "2016-01-01", "au": "2025-12-31"}, "au plus 5 ans"),
        ({"du": "0001-01-01", "au": "2026-01-01"}, "Indiquez une date"),
        ({"du": "2026-01-01"}, "Indiquez le début et la fin"),
        ({"du": "pas une date", "au": "2026-01-01"}, "Saisissez une date valide"),
        ({"annee": "1"}, "Choisissez une année entre 2015 et 2026."),
        ({"annee": "2100"}, "Choisissez une année entre 2015 et 2026."),
        ({"type": "XYZ"}, "Choisissez un type de dispositif de la liste."),
    ],
)
def test_a_wrong_period_is_said_in_french(client, staff, query, message):
    login(client, staff)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.context["sections"] == []
    assert message in text(response)
    export = client.get(reverse("dashboard_workbook"), query)
    assert export.status_code == 400
    assert message in export.content.decode()


def test_a_period_from_to(client, staff, world):  # noqa: F811
    login(client, staff)
    response = client.get(URL, {"du": "2026-01-01", "au": "2026-04-30"})
    assert "du 01/01/2026 au 30/04/2026" in text(response)
    posts = table(response.context, "registre-postes")
    # On 2026-04-30 Bob still holds P2, Carla P3 (a past day is read from tenures, "unknown"
    # applies from today on), Fay has not arrived on P7: 3 filled, 1 vacant, none unknown.
    assert row(posts, "93")[:3] == ["3", "1", "0"]


def read_csv(content):
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(content[3:].decode()), delimiter=";"))


def test_each_table_exports_as_csv_and_xlsx(client, staff, world):  # noqa: F811
    login(client, staff)
    url = reverse("dashboard_export", args=["registre-postes", "csv"])
    response = client.get(url, {"annee": 2026})
    assert response.status_code == 200
    assert "registre-postes-ile-de-france-2026.csv" in response["Content-Disposition"]
    lines = read_csv(response.content)
    assert lines[0][:4] == ["Département", "Pourvus", "Vacants", "Statut inconnu"]
    assert ["Seine-Saint-Denis (93)", "2", "1", "1", "4", "208", "208", "2"] in lines
    xlsx = client.get(reverse("dashboard_export", args=["registre-postes", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert ["Seine-Saint-Denis (93)", 2, 1, 1, 4, 208, 208, 2] in values  # numbers, summable
    assert client.get(reverse("dashboard_export", args=["registre-inconnu", "csv"])).status_code
    assert client.get(reverse("dashboard_export", args=["nimporte-quoi", "csv"])).status_code == 404
    assert client.get(reverse("dashboard_export", args=["registre-postes", "pdf"])).status_code == (
        404
    )


def test_the_workbook_has_one_sheet_per_section(client, staff, world):  # noqa: F811
    login(client, staff)
    response = client.get(reverse("dashboard_workbook"), {"annee": 2026})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Dispositifs et postes"
    assert len(workbook.sheetnames) == 5
    first = [[c.value for c in r] for r in workbook.worksheets[0].iter_rows()]
    assert [v for v in first[1] if v] == ["Territoire : Île-de-France"]
    assert ["Paris (75)", 0, 0, 1, 0, 1] in [line[:6] for line in first]  # Eve: 3 to 5 years


def test_dd93_exports_hold_93_only(client, dd93, world):  # noqa: F811
    login(client, dd93)
    query = {"annee": 2026, "departement": "75"}
    lines = read_csv(
        client.get(reverse("dashboard_export", args=["registre-postes", "csv"]), query).content
    )
    assert [line[0] for line in lines[1:]] == ["Seine-Saint-Denis (93)"]
    response = client.get(reverse("dashboard_workbook"), query)
    assert "tableau-de-bord-93-2026.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    everything = " ".join(
        str(c.value) for sheet in workbook.worksheets for r in sheet.iter_rows() for c in r
    )
    assert "Paris" not in everything and "Val-d'Oise" not in everything
    assert "Seine-Saint-Denis (93)" in everything and "< 3" in everything


def test_the_list_of_arrivals_behind_a_figure(client, staff, dd93, world):  # noqa: F811
    login(client, staff)
    response = client.get(reverse("dashboard"), {"annee": 2026})
    trend = table(response.context, "registre-mouvements")
    arrivals = next(r for r in trend.rows if r.key == 2026).cells[0].link
    assert "2 arrivées sur la période" in text(client.get(arrivals))
    departures = next(r for r in trend.rows if r.key == 2026).cells[1].link
    assert "sens=departs" in departures
    assert "2 départs sur la période" in text(client.get(departures))
    # Each département's figure of the year, and the year's total, open their own list.
    by_department = table(response.context, "registre-mouvements-departements")
    for row in by_department.rows:
        for cell, word in zip(row.cells[:2], ("arrivée", "départ"), strict=True):
            listed = text(client.get(cell.link))
            n = cell.number
            assert (f"{n} {word}s sur la période" if n > 1 else f"{n} {word} ") in listed or (
                n == 0 and "Aucun" in listed
            ), (row.label, word, n)
    # Listed by dates, the names would give a partner the « < 3 » of its dashboard: partners
    # get no link and no list.
    login(client, dd93)
    response = client.get(reverse("dashboard"), {"annee": 2026})
    for slug in ("registre-mouvements", "registre-mouvements-departements"):
        rows = table(response.context, slug).rows
        assert all(cell.link is None for row in rows for cell in row.cells)
    assert client.get(reverse("dashboard_movements"), {"annee": 2026}).status_code == 403


def test_a_partner_s_trend_has_no_total_to_subtract_from(client, dd93, world):  # noqa: F811
    """A year reads the same in every period's view: no total over the years, no figure
    hidden only to protect another (the 2025 view and the 2026 view agree on 2025)."""
    login(client, dd93)
    views = {}
    for year in (2025, 2026):
        trend = table(client.get(URL, {"annee": year}).context, "registre-mouvements")
        assert not any(r.total for r in trend.rows)
        views[year] = {r.key: [c.label for c in r.cells] for r in trend.rows}
    assert views[2025][2025] == views[2026][2025]
    assert views[2025][2024] == views[2026][2024]


def test_the_three_years_total_lists_the_three_years(client, staff, world):  # noqa: F811
    login(client, staff)
    response = client.get(reverse("dashboard"), {"annee": 2026})
    link = table(response.context, "registre-mouvements").rows[-1].cells[0].link
    # Bob (2024), Carla (2025), Dan's move and Fay (2026).
    assert "4 arrivées sur la période" in text(client.get(link))


def bulk(size):
    for i in range(size):
        scheme = SchemeFactory(commune_codes=[("93066", "95585", "75056")[i % 3]])
        post = PostFactory(schemes=[scheme])
        TenureFactory(post=post, person=UserFactory(), started_on="2026-02-01")
        TenureFactory(
            post=PostFactory(schemes=[scheme]),
            person=UserFactory(),
            started_on="2020-01-01",
            ended_on="2026-03-01",
        )


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("staff", URL),
        ("dd93", URL),
        ("ars_hq", URL),
        ("staff", "/tableau-de-bord/tableau-de-bord.xlsx"),
        ("dd93", "/tableau-de-bord/tableau-de-bord.xlsx"),
        ("staff", "/tableau-de-bord/mouvements/"),
    ],
)
def test_the_queries_are_constant(client, request, who, url):
    login(client, request.getfixturevalue(who))
    bulk(2)
    small = count_queries(client, url, {"annee": 2026})
    bulk(12)
    assert count_queries(client, url, {"annee": 2026}) == small


def test_every_table_export_keeps_dd93_in_93(client, staff, dd93, world):  # noqa: F811
    """Tampering, for every table of every section: DD 93 asking for Paris and Val-d'Oise in
    the URL of any export gets Seine-Saint-Denis's rows only."""
    login(client, staff)
    sections = client.get(URL, {"annee": 2026}).context["sections"]
    slugs = [t.slug for section in sections for t in section.tables]
    assert len(slugs) >= 15
    login(client, dd93)
    for slug in slugs:
        for file_format in ("csv", "xlsx"):
            response = client.get(
                reverse("dashboard_export", args=[slug, file_format]),
                {"annee": 2026, "departement": ["75", "95"]},
            )
            assert response.status_code == 200, slug
            if file_format == "csv":
                content = response.content.decode("utf-8-sig")
                header = content.splitlines()[0].split(";")
                assert "75" not in header and "95" not in header, slug  # départements as columns
            else:
                sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
                content = " ".join(str(c.value) for r in sheet.iter_rows() for c in r)
            assert "(75)" not in content and "(95)" not in content, (slug, file_format)
            assert "Paris" not in content and "Val-d'Oise" not in content, slug


def test_the_running_schemes_figure_opens_the_running_schemes(client, staff, world):  # noqa: F811
    login(client, staff)
    response = client.get(URL, {"annee": 2026})
    schemes = table(response.context, "registre-dispositifs")
    d95 = next(r for r in schemes.rows if r.key == "95")
    # 95: S3 (CLSM) runs, S4 (CLS) has ended: the figure says 1, its list shows S3 only.
    assert d95.cells[-1].label == "1"
    listed = client.get(d95.cells[-1].link)
    assert "1 dispositif" in text(listed)
    assert listed.context["page"].paginator.count == 1
