"""What a yearly activity report holds: its parts (a text staff write, and under it the figures
of a dashboard section when the part has one), and the context its figures are counted in.

A report is a document for the programme's partners and funders: its figures are counted as for
a partner (`ReportContext`): a figure about 1 or 2 people reads « < 3 » (with complementary
suppression), and no figure links to a list (`without_links`), whoever reads the draft. The
draft page, the printable page and the PDF so show the same thing."""

from dataclasses import dataclass, replace

from .filters import Period, scope_for
from .sections import SECTIONS, Context

# (key, title, what to write) of every part of a report, in order; a key of SECTIONS is the
# text above that section's figures.
INTRODUCTION, OUTLOOK = "introduction", "perspectives"
SECTION_HINTS = {
    "registre": "Les dispositifs, les arrivées et les départs de l’année, les postes restés "
    "vacants et ce qui a été fait pour les pourvoir.",
    "participation": "Les temps collectifs de l’année : ce qui a marché, ce qui a moins "
    "mobilisé, ce que les coordinateurs en ont dit.",
    "parcours": "Les parcours suivis, ce qu’ils ont apporté, les auto-évaluations.",
    "reseau": "Le tutorat, les questions entre pairs, les fiches d’expérience, la Boussole.",
    "besoins": "Ce que les coordinateurs ont exprimé, et les réponses apportées ou à construire.",
}
NARRATIVE_PARTS = [
    (
        INTRODUCTION,
        "Le mot de l’équipe et les faits marquants",
        "L’année en quelques lignes : ce qui l’a marquée, pour le réseau et ses partenaires.",
    ),
    *((slug, title, SECTION_HINTS.get(slug, "")) for slug, title in SECTIONS),
    (
        OUTLOOK,
        "Perspectives",
        "Ce que l’équipe prévoit pour l’année qui vient, et avec qui.",
    ),
]
PART_KEYS = [key for key, _title, _hint in NARRATIVE_PARTS]
PART_TITLES = {key: title for key, title, _hint in NARRATIVE_PARTS}


class ReportContext(Context):
    """A section's context for a report: counted as for a partner (small numbers apply), with
    no link to lists of people."""

    def may(self, permission) -> bool:
        return False


def without_links(section):
    """`section` with no link (to a list, a page of the platform): the report is read away
    from it, and its figures are not the reader's lists."""
    tables = [
        replace(
            table,
            rows=[
                replace(row, link=None, cells=[replace(cell, link=None) for cell in row.cells])
                for row in table.rows
            ],
        )
        for table in section.tables
    ]
    cards = [replace(card, link=None) for card in section.cards]
    return replace(section, cards=cards, tables=tables, links=[])


def report_context(report, access) -> ReportContext:
    """The context the figures of `report` are counted in: its year, its territory."""
    scope = scope_for(access, department_codes=report.codes or ())
    # A year under way stops at today, as on the dashboard (posts and vacancies "at its end").
    period = Period.year(report.year).to_date()
    return ReportContext(period, replace(scope, individual=False), access)


def territory_label(departments) -> str:
    """ "Île-de-France" for None, else the départements' names: "Paris (75), Essonne (91) et
    Seine-Saint-Denis (93)"; `departments` is [(code, name)] in order."""
    if departments is None:
        return "Île-de-France"
    names = [f"{name} ({code})" for code, name in departments]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " et " + names[-1]


def report_title(year, departments) -> str:
    return f"Bilan d’activité {year} — {territory_label(departments)}"


@dataclass
class Part:
    """One part of a report as read: its text (the current version, or None), its history
    (newest first) and the section of figures under it (None for the introduction and the
    outlook)."""

    key: str
    title: str
    hint: str
    current: object  # NarrativeVersion | None
    history: list
    section: object = None  # dashboards.tables.Section | None
    form: object = None  # the editor's form, on the draft page

    @property
    def anchor(self) -> str:
        return f"partie-{self.key}"
