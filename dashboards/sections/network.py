"""The "reseau" section: tutoring, newcomers without a tutor, questions to peers, experience
notes and the Boussole's requests (`dashboards.indicators.network`), each figure linked to the
list it counts for readers who may see that list (the team's follow-ups are the team's)."""

from resources.models.requests import ResourceRequest

from ..indicators import network
from ..tables import BARS, STACKED, Card, Column, FigureTable, Row, Section, count_table
from .by_department import department_rows, total_cell, whole_scope_links

SLUG = "reseau"
TITLE = "Entraide et ressources"

WHERE = (
    "Une personne compte dans le département du dispositif du poste qu’elle occupe à la fin "
    "de la période, à défaut dans celui de la commune de son profil."
)
LISTS = "Les listes liées montrent toutes les lignes visibles aujourd’hui, sans filtre de période."


def build(context) -> Section:
    period, scope = context.period, context.scope
    tutoring = _tutoring_table(context, network.tutoring(period, scope))
    newcomers = _newcomers_table(context, network.newcomers_without_tutor(period, scope))
    questions = _questions_table(context, network.questions(period, scope))
    notes = _notes_table(context, network.notes_published(period, scope))
    requests = _requests_table(context, network.resource_requests(period, scope))
    states = _states_table(context, requests)

    def card(label, table, key, detail=""):
        cell = total_cell(table, key)
        return Card(label, cell.value, link=cell.link, detail=detail)

    return Section(
        SLUG,
        TITLE,
        cards=[
            card(
                "Binômes de tutorat en cours", tutoring, "active", "le dernier jour de la période"
            ),
            card(
                "Nouveaux arrivants sans tuteur ou tutrice",
                newcomers,
                "newcomers",
                "arrivés dans les 12 mois avant la fin de la période",
            ),
            card("Questions posées aux pairs", questions, "asked"),
            card("Questions ayant reçu une réponse", questions, "answered"),
            card("Fiches d’expérience publiées", notes, "published"),
            card(
                "Demandes Boussole en attente",
                requests,
                ResourceRequest.State.ASKED,
                "demandes de la période pas encore traitées",
            ),
        ],
        tables=[tutoring, newcomers, questions, notes, requests, states],
        intro=(
            "Le tutorat entre pairs, les nouveaux arrivants encore sans tuteur ou tutrice, les "
            "questions posées au réseau, les fiches d’expérience et les demandes de ressources "
            "diffusées sur demande (la Boussole). " + WHERE
        ),
        links=_links(context),
    )


def _filterable(context) -> bool:
    """The lists filter by no scheme type: with one chosen, a link would lead to more than the
    figure counts."""
    return not context.scope.scheme_kind


def _whole_territory(context) -> bool:
    """Whether the scope is all the reader may see (and no scheme type): the lists without a
    territory filter (tutoring, questions, notes) show the reader's whole territory, so only
    then do they list what the figure counts."""
    return _filterable(context) and (
        context.scope.department_codes == context.access.department_codes
    )


def _single_code(context):
    codes = context.scope.department_codes
    return next(iter(codes)) if codes is not None and len(codes) == 1 else None


def _people_table(context, split, *, columns, urls, **table) -> FigureTable:
    """A `count_table` of `split` by département; `urls` ({column key: url}) link the scope's
    figures (the total row, or the only row) to lists of the whole scope."""
    rows = department_rows(context, split, [column.key for column in columns])
    links, total_links = whole_scope_links(rows, urls)
    return count_table(
        columns=columns,
        rows=rows,
        individual=context.individual,
        links=links,
        total_links=total_links,
        **table,
    )


def _tutoring_table(context, split) -> FigureTable:
    urls = {}
    if context.may("tutoring.manage") and _whole_territory(context):
        urls["active"] = context.url("tutoring_overview")
    return _people_table(
        context,
        split,
        urls=urls,
        slug=f"{SLUG}-tutorat",
        title="Tutorat entre pairs",
        columns=[
            Column("active", "Binômes en cours"),
            Column("started", "Binômes commencés"),
            Column("requested", "Demandes de tutorat"),
        ],
        description=(
            "Binômes en cours le dernier jour de la période (acceptés, pas encore terminés), "
            "binômes acceptés pendant la période, et demandes faites pendant la période quelle "
            "qu’en soit la suite. Un binôme compte dans le département de la personne tutorée. "
            + WHERE
        ),
        chart=BARS,
    )


def _newcomers_table(context, split) -> FigureTable:
    urls = {}
    if context.may("tutoring.manage") and _whole_territory(context):
        urls["newcomers"] = context.url("tutoring_overview")
    return _people_table(
        context,
        split,
        urls=urls,
        slug=f"{SLUG}-nouveaux-sans-tuteur",
        title="Nouveaux arrivants sans tuteur ou tutrice",
        columns=[Column("newcomers", "Nouveaux arrivants sans tuteur ou tutrice")],
        description=(
            "Personnes en poste le dernier jour de la période, dont le premier poste de "
            "coordination a commencé dans les 12 mois précédents, et sans binôme de tutorat en "
            "cours ce jour-là. " + WHERE
        ),
        chart=BARS,
    )


def _questions_table(context, split) -> FigureTable:
    urls = {}
    if context.may("questions.view") and _whole_territory(context):
        urls = {
            "asked": context.url("questions"),
            "answered": context.url("questions", state="avec-reponse"),
            "useful": context.url("questions", state="utile"),
        }
    return _people_table(
        context,
        split,
        urls=urls,
        slug=f"{SLUG}-questions",
        title="Questions posées aux pairs",
        columns=[
            Column("asked", "Questions posées"),
            Column("answered", "Avec une réponse"),
            Column("useful", "Avec une réponse utile"),
        ],
        description=(
            "Questions posées au réseau pendant la période et, parmi elles, celles qui avaient "
            "une réponse le dernier jour de la période, et celles dont l’auteur ou l’autrice a "
            "marqué une réponse comme utile. Une question compte dans le département de la "
            "personne qui l’a posée. " + WHERE
        ),
        chart=BARS,
    )


def _notes_table(context, split) -> FigureTable:
    # The notes' list shows each reader the notes of their territory (all, for the region).
    urls = {}
    if context.may("notes.view") and _whole_territory(context):
        urls["published"] = context.url("notes")
    return _people_table(
        context,
        split,
        urls=urls,
        slug=f"{SLUG}-fiches",
        title="Fiches d’expérience publiées",
        columns=[Column("published", "Fiches publiées"), Column("authors", "Auteurs et autrices")],
        description=(
            "Fiches d’expérience publiées pendant la période (les brouillons ne comptent pas) "
            "et nombre de personnes qui les ont publiées. Une fiche compte dans le département "
            "de son auteur ou autrice. " + WHERE + " " + LISTS
        ),
        chart=BARS,
    )


STATES = list(ResourceRequest.State)


def _request_url(context, *, code=None, state=None):
    return context.url("resource_requests", department=code, state=state)


def _requests_table(context, split) -> FigureTable:
    names = ("total", *(state.value for state in STATES))
    rows = department_rows(context, split, names)
    links = total_links = row_links = None
    if context.may("resources.requests_manage") and _filterable(context):
        known = [code for code, _label, _values in rows if code is not None]
        links = {
            (code, state.value): _request_url(context, code=code, state=state.value)
            for code in known
            for state in STATES
        }
        links |= {(code, "total"): _request_url(context, code=code) for code in known}
        row_links = {code: _request_url(context, code=code) for code in known}
        single = _single_code(context)
        if context.scope.department_codes is None or single:
            total_links = {
                state.value: _request_url(context, code=single, state=state.value)
                for state in STATES
            } | {"total": _request_url(context, code=single)}
    return count_table(
        slug=f"{SLUG}-demandes",
        title="Demandes de ressources (Boussole)",
        columns=[
            Column("total", "Demandes"),
            *(Column(state.value, state.label) for state in STATES),
        ],
        rows=rows,
        individual=context.individual,
        row_totals=0,
        links=links,
        total_links=total_links,
        row_links=row_links,
        description=(
            "Demandes de ressources diffusées sur demande (la Boussole) faites pendant la "
            "période, selon leur état aujourd’hui : en attente, acceptées (à envoyer), "
            "envoyées, refusées, retirées par la personne. Une demande compte dans le "
            "département de la personne qui l’a faite. " + WHERE + " " + LISTS
        ),
        chart=STACKED,
        chart_columns=[state.value for state in STATES],
    )


def _states_table(context, requests) -> FigureTable:
    """The scope's requests by state: the total row of the table by département turned on its
    side, with the figures (and the "< 3") exactly as they are there."""
    total = next((row for row in requests.rows if row.total), None) or requests.rows[-1]
    cells = dict(zip((column.key for column in requests.columns), total.cells, strict=True))
    rows = [Row(state.value, state.label, [cells[state.value]]) for state in STATES]
    rows.append(Row(None, "Total", [cells["total"]], total=True))
    return FigureTable(
        slug=f"{SLUG}-demandes-etats",
        title="Demandes de ressources (Boussole) par état",
        columns=[Column("requests", "Demandes")],
        rows=rows,
        row_header="État",
        description=(
            "Les demandes de ressources faites pendant la période sur tout le territoire "
            "choisi, selon leur état aujourd’hui (les mêmes chiffres que le total du tableau "
            "par département). " + LISTS
        ),
        chart=BARS,
    )


def _links(context) -> list:
    links = []
    if context.may("tutoring.manage"):
        links.append(("Le suivi du tutorat", context.url("tutoring_overview")))
    if context.may("questions.view"):
        links.append(("Les questions posées aux pairs", context.url("questions")))
    if context.may("notes.view"):
        links.append(("Les fiches d’expérience", context.url("notes")))
    if context.may("resources.requests_manage"):
        links.append(
            (
                "Les demandes de ressources",
                _request_url(context, code=_single_code(context)),
            )
        )
    return links
