"""Section « Besoins exprimés »: what coordinators wrote about their needs at the three levels
of their profile, and the competencies and topics they look for; and what the two needs pages
read (`dashboards.views.needs`): the texts, for the team only, and needs against the offer.

Counts about people go through `count_table` (partners: « < 3 »). The competencies sought are
one table whatever the output (this section, the needs-against-the-offer page): built from the
same figures in the same order, it hides the same cells everywhere, so that no page gives away
what another hides."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator

from coordinators.models import Scheme
from coordinators.selectors import CURRENT_SCHEMES, tenures_in_post
from core.search import search_words
from core.text import fold

from ..indicators import needs as indicators
from ..tables import STACKED, Card, Column, Section, count_table
from .by_department import department_label

SLUG = "besoins"
TITLE = "Besoins exprimés"

# The three levels of the profile: (key, column label, card label).
LEVELS = [
    ("environment", "Environnement", "Besoins vis-à-vis de l’environnement"),
    ("skills", "Compétences", "Besoins en compétences"),
    ("peers", "Liens entre pairs", "Besoins de liens entre pairs"),
]
TEXTS_PER_PAGE = 25

WHERE = (
    "Chaque coordinateur·rice validé·e compte dans le département du dispositif où il ou elle "
    "est en poste à la fin de la période, sinon dans celui de sa commune."
)
NO_HISTORY = (
    "Les profils ne gardent pas d’historique : ce sont les besoins tels qu’ils sont écrits "
    "aujourd’hui, par les personnes comptées à la fin de la période."
)


# --- The section ----------------------------------------------------------------------------


def _levels_table(context, levels):
    """Rows = départements (an unknown one last, for the region), columns = the people counted,
    each level, and at least one level."""
    keys = ["people", *(key for key, _column, _card in LEVELS), "any"]
    columns = [
        Column("people", "Coordinateur·rices inscrit·es"),
        *(Column(key, label) for key, label, _card in LEVELS),
        Column("any", "Au moins un besoin écrit"),
    ]
    rows = [
        (code, department_label(context, code), [figures[key] for key in keys])
        for code, figures in levels.departments.items()
    ]
    links, total_links = {}, {}
    if context.may("needs.texts"):
        params = context.link_params
        for code, _label, _values in rows:
            if code is not None:
                url = context.url("dashboard_needs", **{**params, "departement": [code]})
                links.update({(code, key): f"{url}#niveau-{key}" for key in keys[1:-1]})
                links[code, "any"] = f"{url}#textes"
        url = context.url("dashboard_needs", **params)
        total_links = {key: f"{url}#niveau-{key}" for key in keys[1:-1]}
        total_links["any"] = f"{url}#textes"
    return count_table(
        slug=f"{SLUG}-niveaux",
        title="Besoins écrits aux trois niveaux du profil",
        columns=columns,
        rows=rows,
        total=[levels.total[key] for key in keys],
        individual=context.individual,
        links=links,
        total_links=total_links,
        description=(
            "Nombre de coordinateur·rices validé·es (compte actif) qui ont écrit quelque chose "
            "à chaque niveau de besoins de leur profil : environnement, compétences, liens entre "
            "pairs (y compris « je recherche »). Une même personne compte à chaque niveau où "
            f"elle a écrit. {WHERE} {NO_HISTORY}"
        ),
    )


SOUGHT = (
    "Nombre de coordinateur·rices validé·es (compte actif) qui ont choisi {what} parmi ce "
    "qu’ils et elles recherchent auprès des pairs. Une personne compte une fois par {item} "
    "choisie : la ligne « Total des choix » additionne des choix, pas des personnes. Une "
    "colonne par département (son numéro). {where} "
    "La colonne Total compte aussi les personnes dont le département est inconnu. {history}"
)


def sought_table(context, *, slug, title, items, row_header, description):
    """Rows = `items` [(key, label, {code: people}, total people)] in the order shown, columns
    = the départements of the scope, then the total (people of an unknown département count in
    the total only). The table is built in the order of the keys whatever the order shown, so
    the same figures always hide the same cells."""
    codes = [code for code, _name in context.departments]
    # A département's number heads its column: ten columns stay readable on a laptop.
    columns = [Column(code, code) for code, _name in context.departments]
    columns.append(Column("total", "Total"))
    rows = [
        (key, label, [by_code.get(code, 0) for code in codes] + [total])
        for key, label, by_code, total in items
    ]
    shown_order = {key: position for position, (key, _label, _values) in enumerate(rows)}
    table = count_table(
        slug=slug,
        title=title,
        columns=columns,
        rows=sorted(rows, key=lambda row: row[0]),
        row_totals=len(codes),
        individual=context.individual,
        row_header=row_header,
        total_label="Total des choix",
        description=description,
        chart=STACKED if len(codes) > 1 else None,
        chart_columns=codes if len(codes) > 1 else None,
    )
    table.rows.sort(key=lambda row: (row.total, shown_order.get(row.key, 0)))
    return table


def competencies_table(context, items):
    """Competencies sought, `items` [(competency, {code: people}, total people)]: the same
    table in the section and on the needs-against-the-offer page."""
    return sought_table(
        context,
        slug=f"{SLUG}-competences",
        title="Compétences recherchées",
        items=[(c.pk, c.name, by_code, total) for c, by_code, total in items],
        row_header="Compétence",
        description=SOUGHT.format(
            what="chaque compétence du référentiel",
            item="compétence",
            where=WHERE,
            history=NO_HISTORY,
        ),
    )


def _items(pairs):
    """[(item, Split)] → [(item, {code: people}, total people)]."""
    return [
        (
            item,
            {code: figures["people"] for code, figures in split.departments.items()},
            split.total["people"],
        )
        for item, split in pairs
    ]


def _total_row(table):
    """The row holding the scope's figures: the total, or the only département."""
    return next((row for row in table.rows if row.total), table.rows[0] if table.rows else None)


def build(context) -> Section:
    found = indicators.needs(context.period, context.scope)
    levels = _levels_table(context, found.levels)
    topics = sought_table(
        context,
        slug=f"{SLUG}-thematiques",
        title="Thématiques recherchées",
        items=[(t.pk, t.name, by_code, n) for t, by_code, n in _items(found.topics)],
        row_header="Thématique",
        description=SOUGHT.format(
            what="chaque thématique", item="thématique", where=WHERE, history=NO_HISTORY
        ),
    )
    scope_row = _total_row(levels)
    keys = [column.key for column in levels.columns]

    def cell(key):
        return scope_row.cells[keys.index(key)] if scope_row else None

    counted = cell("people")
    registered = counted.label if counted else 0
    detail = f"sur {registered} coordinateur·rices inscrit·es sur la plateforme"
    cards = [
        Card(label, cell(key).value, link=cell(key).link, detail=detail)
        for key, label in [("any", "Ont écrit au moins un besoin")]
        + [(key, label) for key, _column, label in LEVELS]
        if cell(key) is not None
    ]
    params = context.link_params
    return Section(
        SLUG,
        TITLE,
        cards=cards,
        tables=[levels, competencies_table(context, _items(found.competencies)), topics],
        intro=(
            "Ce que les coordinateur·rices écrivent de leurs besoins sur leur profil, à trois "
            "niveaux (leur environnement, leurs compétences, leurs liens avec les pairs), et les "
            "compétences et thématiques qu’ils et elles recherchent. Seule l’équipe lit les "
            "textes ; les partenaires voient les nombres."
        ),
        links=[
            ("Les besoins exprimés en détail", context.url("dashboard_needs", **params)),
            (
                "Besoins et offre, par compétence et département",
                context.url("dashboard_needs_offer", **params),
            ),
        ],
    )


# --- The needs page: the texts, for the team only -------------------------------------------


@dataclass
class Author:
    person: object
    code: str | None
    department: str
    # The register's page of the scheme where they hold a post on the period's end, if any.
    scheme_name: str = ""
    scheme_url: str = ""


@dataclass
class NeedTexts:
    """One page (`page`, for its numbers) of the people who wrote needs (`authors`), their
    texts by level (`levels`: [(key, title, [(author, [(label, text)])])]) and how many
    matched the search."""

    page: object
    authors: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    count: int = 0
    search: str = ""


TEXT_LEVELS = [
    ("environment", "Besoins vis-à-vis de leur environnement (élus, hiérarchie, autres services)"),
    ("skills", "Besoins en compétences"),
    ("peers", "Besoins de liens entre pairs (échanges, entraide, tutorat)"),
]


def _matches(entry, words):
    """Every searched word starts a word of the person's name or of their texts (folded)."""
    if not words:
        return True
    text = " ".join(
        [
            entry["person"].get_full_name(),
            entry["environment"],
            entry["skills"],
            entry["peers"],
            entry["looking_for"],
        ]
    )
    found = set(fold(text).split())
    return all(any(word_.startswith(word) for word_ in found) for word in words)


def _schemes_on(people, on):
    """{person id: (id, name) of the scheme of the post they hold on `on`}, the first by
    département, type and id as `indicators.people.in_scope` places them. One query."""
    rows = (
        Scheme.objects.filter(
            posts__tenures__in=tenures_in_post(on),
            posts__tenures__person__in=people,
            status__in=CURRENT_SCHEMES,
        )
        .values_list("posts__tenures__person", "pk", "name")
        .order_by("department__code", "kind", "pk")
    )
    schemes = {}
    for person_id, pk, name in rows:
        schemes.setdefault(person_id, (pk, name))
    return schemes


def needs_texts(context, *, search="", page=1) -> NeedTexts:
    """What people wrote, for the team only (`indicators.needs_texts` refuses other readers),
    the people whose name or texts hold every searched word, `TEXTS_PER_PAGE` people a page.
    Three queries."""
    words = search_words(search)
    entries = [
        entry
        for entry in indicators.needs_texts(context.period, context.scope)
        if _matches(entry, words)
    ]
    paginator = Paginator(entries, TEXTS_PER_PAGE)
    current = paginator.get_page(page)
    schemes = _schemes_on([entry["person"] for entry in current], context.period.end)
    authors = []
    for entry in current:
        person, code = entry["person"], entry["place"]
        author = Author(person, code, context.department_name(code))
        if person.pk in schemes:
            pk, author.scheme_name = schemes[person.pk]
            author.scheme_url = context.url("scheme", pk)
        authors.append((author, entry))
    levels = []
    for key, title in TEXT_LEVELS:
        written = []
        for author, entry in authors:
            texts = [("", entry[key])] if entry[key] else []
            if key == "peers" and entry["looking_for"]:
                texts.append(("Ce que je recherche", entry["looking_for"]))
            if texts:
                written.append((author, texts))
        levels.append((key, title, written))
    return NeedTexts(
        current, [author for author, _entry in authors], levels, paginator.count, search
    )


# --- Needs against the offer ----------------------------------------------------------------


@dataclass
class OfferLine:
    """A competency in a département: people looking for it, people rating themselves weakest
    (each a `Cell`, « < 3 » for partners), the active offers covering it."""

    competency: object
    needs: object
    weak: object
    offers: list

    @property
    def uncovered(self) -> bool:
        return not self.offers


# "Aucune offre ne couvre ce besoin en Seine-Saint-Denis": each département as French says it.
IN_DEPARTMENT = {
    "75": "à Paris",
    "77": "en Seine-et-Marne",
    "78": "dans les Yvelines",
    "91": "en Essonne",
    "92": "dans les Hauts-de-Seine",
    "93": "en Seine-Saint-Denis",
    "94": "dans le Val-de-Marne",
    "95": "dans le Val-d’Oise",
}


@dataclass
class DepartmentNeeds:
    code: str
    name: str
    domains: list  # [(domain, [OfferLine])], only the competencies someone needs or rates weak

    @property
    def where(self) -> str:
        return IN_DEPARTMENT.get(self.code, f"dans le département {self.name} ({self.code})")

    @property
    def uncovered(self) -> list:
        return [line for _domain, lines in self.domains for line in lines if line.uncovered]


@dataclass
class NeedsAgainstOffer:
    needs: object  # the FigureTable of competencies sought (as in the section)
    weak: object  # the FigureTable of the weakest self-assessments
    departments: list  # [DepartmentNeeds]

    @property
    def uncovered(self) -> list:
        """The départements where a need has no offer."""
        return [department for department in self.departments if department.uncovered]

    @property
    def covered(self) -> list:
        """The départements with needs, each covered by an offer."""
        return [d for d in self.departments if d.domains and not d.uncovered]

    @property
    def without_needs(self) -> list:
        return [department for department in self.departments if not department.domains]


def needs_against_offer(context) -> NeedsAgainstOffer:
    """For each département of the scope and each competency that someone there looks for or
    rates weakest: both counts (from the tables, small numbers applied) beside the active
    offers that cover it. Eleven queries."""
    rows = indicators.needs_against_offer(context.period, context.scope)
    needs_table = competencies_table(
        context,
        [
            (
                row.competency,
                {c: cell.needs for c, cell in row.departments.items()},
                row.total["needs"],
            )
            for row in rows
        ],
    )
    weak_table = sought_table(
        context,
        slug=f"{SLUG}-auto-evaluations-faibles",
        title="Auto-évaluations au plus bas",
        items=[
            (
                row.competency.pk,
                row.competency.name,
                {c: cell.weak for c, cell in row.departments.items()},
                row.total["weak"],
            )
            for row in rows
        ],
        row_header="Compétence",
        description=(
            "Nombre de coordinateur·rices validé·es dont la dernière auto-évaluation, à la fin "
            "de la période, place la compétence aux deux premiers niveaux (« je découvre », "
            f"« avec de l’aide »). {WHERE}"
        ),
    )
    codes = [column.key for column in needs_table.columns]
    needs_cells = {row.key: dict(zip(codes, row.cells, strict=True)) for row in needs_table.rows}
    weak_cells = {row.key: dict(zip(codes, row.cells, strict=True)) for row in weak_table.rows}
    departments = []
    for code, name in context.departments:
        domains = {}
        for row in rows:
            pk, cell = row.competency.pk, row.departments[code]
            needs, weak = needs_cells[pk][code], weak_cells[pk][code]
            if not (cell.needs or cell.weak or needs.suppressed or weak.suppressed):
                continue
            domains.setdefault(row.competency.domain, []).append(
                OfferLine(row.competency, needs, weak, cell.offers)
            )
        departments.append(DepartmentNeeds(code, name, list(domains.items())))
    return NeedsAgainstOffer(needs_table, weak_table, departments)
