"""The "parcours" section: enrolments in pathways, steps done, completion, time to complete and
the progression of self-assessments (`dashboards.indicators.learning`), with links to the
pathways, the self-assessment summary and the complementarity of offers."""

from dataclasses import dataclass

from learning.models import Pathway
from learning.progress import MIN_GROUP

from ..indicators import learning
from ..indicators.people import Split
from ..small_numbers import Shown, Suppressed, is_small, suppress_table
from ..tables import (
    BARS,
    COUNT,
    DAYS,
    LEVEL,
    PERCENT,
    Card,
    Cell,
    Column,
    FigureTable,
    Row,
    Section,
    count_table,
    percent,
    statistic_cell,
)
from .by_department import department_rows, total_cell

SLUG = "parcours"


@dataclass(frozen=True)
class Level(Shown):
    """An average level (one decimal), written the French way: "2,7"."""

    @property
    def label(self) -> str:
        return f"{self.value:.1f}".replace(".", ",")


TITLE = "Parcours et auto-évaluations"

WHERE = (
    "Une personne compte dans le département du dispositif du poste qu’elle occupe à la fin "
    "de la période, à défaut dans celui de la commune de son profil."
)


def build(context) -> Section:
    period, scope = context.period, context.scope
    enrolments = _enrolments_table(context, learning.enrolments(period, scope))
    steps = _steps_table(context, learning.steps_done(period, scope))
    completion = _completion_table(context, learning.completion(period, scope))
    medians = learning.median_time_to_complete(period, scope)
    by_department = _median_departments_table(context, medians)
    by_pathway = _median_pathways_table(context, medians)
    progression = _progression_table(context, learning.assessment_progression(period, scope))
    pathways_url = context.url("pathways") if context.may("pathways.view") else None

    def card(label, table, key, kind=COUNT, detail=""):
        cell = total_cell(table, key)
        link = pathways_url if isinstance(cell.value, Shown) else None
        return Card(label, cell.value, kind, link, detail)

    return Section(
        SLUG,
        TITLE,
        cards=[
            card("Nouvelles inscriptions à un parcours", enrolments, "new"),
            card("Étapes de parcours réalisées", steps, "steps"),
            card("Parcours terminés", by_department, "completed"),
            Card(
                "Durée médiane pour terminer un parcours",
                total_cell(by_department, "median").value,
                DAYS,
                detail="de l’inscription à la dernière étape obligatoire",
            ),
        ],
        tables=[enrolments, steps, completion, by_department, by_pathway, progression],
        intro=(
            "Les inscriptions aux parcours, les étapes réalisées (présence à un temps collectif, "
            "lecture d’une ressource, déclaration, tutorat, validation des acquis), les parcours "
            "terminés et la progression des auto-évaluations. " + WHERE
        ),
        links=_links(context),
    )


def _enrolments_table(context, split) -> FigureTable:
    return count_table(
        slug=f"{SLUG}-inscriptions",
        title="Inscriptions aux parcours",
        columns=[
            Column("new", "Nouvelles inscriptions"),
            Column("running", "En cours à la fin de la période"),
            Column("left", "Abandons"),
        ],
        rows=department_rows(context, split, ("new", "running", "left")),
        individual=context.individual,
        description=(
            "Inscriptions à un parcours commencées pendant la période, inscriptions en cours le "
            "dernier jour de la période (non quittées) et inscriptions quittées pendant la "
            "période. Une personne inscrite à deux parcours compte deux fois. " + WHERE
        ),
        chart=BARS,
    )


def _steps_table(context, split) -> FigureTable:
    return count_table(
        slug=f"{SLUG}-etapes",
        title="Étapes de parcours réalisées",
        columns=[Column("steps", "Étapes réalisées"), Column("people", "Personnes")],
        rows=department_rows(context, split, ("steps", "people")),
        individual=context.individual,
        description=(
            "Étapes de parcours réalisées pendant la période, de quelque façon que ce soit "
            "(présence, lecture, déclaration, tutorat, validation des acquis), et nombre de "
            "personnes qui en ont réalisé au moins une. " + WHERE
        ),
        chart=BARS,
    )


def _completion_table(context, completions) -> FigureTable:
    completions = sorted(completions, key=lambda row: (row.pathway.title.lower(), row.pathway.pk))
    rows = [
        (
            row.pathway.pk,
            row.pathway.title,
            [row.figures.total["enrolments"], row.figures.total["completed"]],
        )
        for row in completions
    ]
    may_see = context.may("pathways.view")
    table = count_table(
        slug=f"{SLUG}-achevement",
        title="Achèvement des parcours commencés pendant la période",
        columns=[Column("enrolments", "Inscriptions"), Column("completed", "Dont terminées")],
        rows=rows,
        individual=context.individual,
        row_header="Parcours",
        row_links=(
            {row.pathway.pk: context.url("pathway", row.pathway.pk) for row in completions}
            if may_see
            else None
        ),
        description=(
            "Pour chaque parcours, les inscriptions commencées pendant la période et, parmi "
            "elles, celles dont toutes les étapes obligatoires actuelles étaient réalisées le "
            "dernier jour de la période ; le taux est la part des inscriptions terminées. "
            "Les parcours sans inscription sur la période n’apparaissent pas. " + WHERE
        ),
        chart=BARS,
        chart_columns=["enrolments", "completed"],
    )
    figures = {key: values for key, _label, values in rows}
    total = [sum(values[0] for values in figures.values()), sum(v[1] for v in figures.values())]

    def rate(row):
        enrolled, completed = total if row.total else figures[row.key]
        return statistic_cell(
            percent(completed, enrolled),
            enrolled,
            individual=context.individual,
            counts=row.cells[0:2],
        )

    table.add_column(Column("rate", "Taux d’achèvement", PERCENT), rate)
    return table


def _with_medians(table, medians_of, individual) -> FigureTable:
    """`table` (one count column: completions) with the median of each row beside its count."""

    def median(row):
        value, count = medians_of(row)
        return statistic_cell(value, count, individual=individual)

    table.add_column(Column("median", "Durée médiane", DAYS), median)
    return table


MEDIAN_HOW = (
    "Un parcours est terminé le jour où sa dernière étape obligatoire actuelle est réalisée ; "
    "la durée va de l’inscription à ce jour (0 quand les étapes étaient faites avant "
    "l’inscription). La médiane est la valeur du milieu (la plus basse des deux pour un nombre "
    "pair), une durée réellement observée. "
)


def _median_departments_table(context, medians) -> FigureTable:
    split = Split(
        total={"completed": medians.count},
        departments={code: {"completed": n} for code, (_m, n) in medians.departments.items()},
    )
    table = count_table(
        slug=f"{SLUG}-duree",
        title="Durée pour terminer un parcours, par département",
        columns=[Column("completed", "Parcours terminés sur la période")],
        rows=department_rows(context, split, ("completed",)),
        individual=context.individual,
        description=(
            "Inscriptions terminées pendant la période (quelle que soit la date d’inscription) "
            "et durée médiane, en jours, pour les terminer. " + MEDIAN_HOW + WHERE
        ),
    )

    def medians_of(row):
        if row.total:
            return medians.total, medians.count
        return medians.departments.get(row.key, (None, 0))

    return _with_medians(table, medians_of, context.individual)


def _median_pathways_table(context, medians) -> FigureTable:
    titles = dict(Pathway.objects.filter(pk__in=list(medians.pathways)).values_list("pk", "title"))
    order = sorted(medians.pathways, key=lambda pk: (titles.get(pk, "").lower(), pk))
    may_see = context.may("pathways.view")
    table = count_table(
        slug=f"{SLUG}-duree-parcours",
        title="Durée pour terminer un parcours, par parcours",
        columns=[Column("completed", "Parcours terminés sur la période")],
        rows=[(pk, titles.get(pk, ""), [medians.pathways[pk][1]]) for pk in order],
        individual=context.individual,
        row_header="Parcours",
        row_links={pk: context.url("pathway", pk) for pk in order} if may_see else None,
        description=(
            "Pour chaque parcours, les inscriptions terminées pendant la période et la durée "
            "médiane, en jours, pour les terminer. " + MEDIAN_HOW + WHERE
        ),
    )

    def medians_of(row):
        if row.total:
            return medians.total, medians.count
        return medians.pathways[row.key]

    return _with_medians(table, medians_of, context.individual)


PROGRESSION_COLUMNS = [
    Column("people", "Personnes"),
    Column("first", "Premier niveau (moyenne)", LEVEL),
    Column("latest", "Dernier niveau (moyenne)", LEVEL),
    Column("improved", "En progrès"),
    Column("same", "Stables"),
    Column("lower", "En recul"),
]


def _progression_cells(figures, individual) -> list:
    """One competency's cells. Under `MIN_GROUP` people, its size only (as a count: "< 3" for
    partners). From `MIN_GROUP` on, the averages, and improved + same + lower = people as a
    one-row table with its total, so that none of them hidden follows from the others."""
    people = figures["people"]
    if figures["first"] is None:
        size = Suppressed() if not individual and is_small(people) else Shown(people)
        return [Cell(size)] + [Cell(None)] * 5
    table = suppress_table(
        [[figures["improved"], figures["same"], figures["lower"]]],
        individual=individual,
        row_totals=[people],
        column_totals=False,
    )
    return [
        Cell(table.row_totals[0]),
        Cell(Level(figures["first"])),
        Cell(Level(figures["latest"])),
        *(Cell(value) for value in table.cells[0]),
    ]


def _progression_table(context, progressions) -> FigureTable:
    # Not `count_table`: a person counts in every competency they rated, so the rows have no
    # total; each row is its own table (improved + same + lower = people).
    rows = [
        Row(
            progression.competency.pk,
            progression.competency.name,
            _progression_cells(progression.total, context.individual),
        )
        for progression in progressions
        if progression.total["people"]
    ]
    return FigureTable(
        slug=f"{SLUG}-auto-evaluations",
        title="Progression des auto-évaluations par compétence",
        columns=PROGRESSION_COLUMNS,
        rows=rows,
        row_header="Compétence",
        description=(
            "Personnes qui se sont auto-évaluées au moins deux fois, la dernière pendant la "
            "période : pour chaque compétence notée les deux fois, le niveau moyen de leur "
            "première auto-évaluation et celui de la dernière, et combien se notent plus haut, "
            "pareil ou plus bas. Pour un groupe de moins de "
            f"{MIN_GROUP} personnes, seul son effectif est donné. Les compétences que personne "
            "n’a ainsi notées n’apparaissent pas. " + WHERE
        ),
    )


def _links(context) -> list:
    links = []
    if context.may("pathways.view"):
        links.append(("Les parcours", context.url("pathways")))
    if context.may("assessment.aggregates"):
        codes = context.scope.department_codes
        code = next(iter(codes)) if codes is not None and len(codes) == 1 else None
        links.append(
            (
                "La synthèse des auto-évaluations",
                context.url("self_assessment_aggregates", departement=code),
            )
        )
    if context.may("offers.complementarity"):
        links.append(
            ("La complémentarité des offres par département", context.url("offers_complementarity"))
        )
    return links
