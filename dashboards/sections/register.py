"""Schemes and posts: what the register says of the territory on the period's end, and its
turnover over the last three years (`dashboards.indicators.register`).

Schemes, posts and vacancies are not about people (the register shows them to the whole
network): shown as they are. Arrivals, departures, tenures and seniority are about people: small
numbers apply for partners."""

from datetime import date

from coordinators.models import Scheme

from ..indicators.register import SENIORITY_BANDS, register_indicators
from ..tables import (
    BARS,
    DAYS,
    LINES,
    STACKED,
    Card,
    Cell,
    Column,
    FigureTable,
    Row,
    Section,
    count_table,
    shown,
    statistic_cell,
)

SLUG = "registre"


def _scheme_list(context, code=None, **filters):
    """The register's list of schemes of a département (or of the scope), or None when the
    list cannot be narrowed to what the figure counts (it filters on one département)."""
    if not context.may("schemes.view"):
        return None
    codes = context.scope.department_codes
    if code is None and codes is not None and len(codes) == 1:
        (code,) = codes
    elif code is None and codes is not None and codes != context.access.department_codes:
        return None  # a few départements chosen: no single list
    department = context.department_pk(code) if code else None
    filters.setdefault("kind", context.scope.scheme_kind)
    return context.url("schemes", department=department, **filters)


def _schemes_table(context, schemes) -> FigureTable:
    kinds = Scheme.Kind.values if not context.scope.scheme_kind else [context.scope.scheme_kind]
    columns = [Column(kind, kind) for kind in kinds] + [Column("all", "Tous types")]
    statuses = [Scheme.Status.ACTIVE, Scheme.Status.RENEWING]

    def cells(figures, code):
        values = [sum(figures[kind][status] for status in statuses) for kind in kinds]
        links = [_scheme_list(context, code, kind=kind, current="true") for kind in kinds]
        result = [Cell(shown(value), link) for value, link in zip(values, links, strict=True)]
        result.append(Cell(shown(sum(values)), _scheme_list(context, code, current="true")))
        return result

    rows = [
        Row(code, f"{name} ({code})", cells(schemes.rows[code], code))
        for code, name in schemes.departments
    ]
    if len(rows) > 1:
        rows.append(Row(None, "Total", cells(schemes.total, None), total=True))
    return FigureTable(
        slug=f"{SLUG}-dispositifs",
        title="Dispositifs en cours par type",
        columns=columns,
        rows=rows,
        description=(
            "Dispositifs en cours ou en renouvellement signés avant la fin de la période, "
            "selon le statut que le registre leur donne aujourd’hui."
        ),
        chart=STACKED,
        chart_columns=kinds,
    )


def _posts_table(context, posts, vacancies, due) -> FigureTable:
    columns = [
        Column("filled", "Pourvus"),
        Column("vacant", "Vacants"),
        Column("unknown", "Statut inconnu"),
        Column("posts", "Postes"),
        Column("median_days", "Vacance médiane", DAYS),
        Column("longest_days", "Vacance la plus longue", DAYS),
        Column("due", "Dispositifs à renouveler (12 mois)"),
    ]

    def cells(code, figures, vacancy, renewal):
        return [
            Cell(shown(figures["filled"]), _scheme_list(context, code)),
            Cell(shown(figures["vacant"]), _scheme_list(context, code, vacancy="true")),
            Cell(shown(figures["unknown"]), _scheme_list(context, code, vacancy="true")),
            Cell(shown(figures["posts"]), _scheme_list(context, code)),
            Cell(shown(vacancy["median_days"])),
            Cell(shown(vacancy["longest_days"])),
            Cell(shown(renewal["due"]), _scheme_list(context, code, renewal_due="true")),
        ]

    rows = [
        Row(
            code,
            f"{name} ({code})",
            cells(code, posts.rows[code], vacancies.rows[code], due.rows[code]),
        )
        for code, name in posts.departments
    ]
    if len(rows) > 1:
        rows.append(
            Row(None, "Total", cells(None, posts.total, vacancies.total, due.total), total=True)
        )
    return FigureTable(
        slug=f"{SLUG}-postes",
        title="Postes de coordination à la fin de la période",
        columns=columns,
        rows=rows,
        description=(
            "Postes ouverts à la fin de la période : pourvus, vacants, ou de statut inconnu "
            "(ce que l’équipe sait aujourd’hui). Un poste partagé par deux départements compte "
            "dans chacun, une fois dans le total. La vacance se compte depuis le dernier "
            "départ, ou l’ouverture du poste."
        ),
        chart=STACKED,
        chart_columns=["filled", "vacant", "unknown"],
    )


def _movements(context, start, end, key, department=None):
    """The list of the arrivals or departures (`key`) from `start` to `end` (cut at the
    period's end), of one département or the scope's, or None when the reader may not see it
    (partners: `dashboard.lists`)."""
    if not context.may("dashboard.lists"):
        return None
    end = min(end, context.period.end)
    params = context.filter_params
    if department is not None:
        params = {**params, "departement": [department]}
    return context.url(
        "dashboard_movements",
        du=start.isoformat(),
        au=end.isoformat(),
        sens="departs" if key == "departures" else None,
        **params,
    )


def _turnover_tables(context, turnover, tenure) -> list:
    years = sorted(turnover.total)
    individual = context.individual
    trend = count_table(
        slug=f"{SLUG}-mouvements",
        title="Arrivées et départs par année",
        columns=[Column("arrivals", "Arrivées"), Column("departures", "Départs")],
        rows=[
            (
                year,
                str(year),
                [turnover.total[year]["arrivals"], turnover.total[year]["departures"]],
            )
            for year in years
        ],
        individual=individual,
        row_header="Année",
        description=(
            "Prises de poste (un changement de poste compris) et fins de poste de chaque année "
            "civile, la dernière jusqu’à la fin de la période."
        ),
        chart=LINES,
        links={
            (year, key): _movements(context, date(year, 1, 1), date(year, 12, 31), key)
            for year in years
            for key in ("arrivals", "departures")
        },
        total_links={
            key: _movements(context, date(years[0], 1, 1), context.period.end, key)
            for key in ("arrivals", "departures")
        },
        total_label="Sur les années affichées",
        # For partners, no total over the years: each year then reads the same in every
        # period's view (a total over other years would let one subtract between two views).
        with_total=individual,
    )
    last = years[-1]
    by_department = count_table(
        slug=f"{SLUG}-mouvements-departements",
        title=f"Arrivées, départs et durée en poste en {last}",
        columns=[Column("arrivals", "Arrivées"), Column("departures", "Départs")],
        rows=[
            (
                code,
                f"{name} ({code})",
                [turnover.rows[code][last]["arrivals"], turnover.rows[code][last]["departures"]],
            )
            for code, name in turnover.departments
        ],
        total=[turnover.total[last]["arrivals"], turnover.total[last]["departures"]],
        individual=individual,
        description=(
            "Une personne compte dans le département des dispositifs de son poste. La durée "
            "médiane en poste est celle des postes quittés pendant la période."
        ),
        chart=BARS,
        links={
            (code, key): _movements(context, date(last, 1, 1), date(last, 12, 31), key, code)
            for code, _name in turnover.departments
            for key in ("arrivals", "departures")
        },
        total_links={
            key: _movements(context, date(last, 1, 1), date(last, 12, 31), key)
            for key in ("arrivals", "departures")
        },
    )

    # The median tenure of the period's departures, beside each row (over its own count).
    def median(row):
        figures = tenure.total if row.total else tenure.rows[row.key]
        return statistic_cell(figures["median_days"], figures["ended"], individual=individual)

    by_department.add_column(Column("median_days", "Durée médiane en poste", DAYS), median)
    return [trend, by_department]


def _seniority_table(context, seniority) -> FigureTable:
    columns = [Column(key, label) for key, label, _low, _high in SENIORITY_BANDS]
    keys = [column.key for column in columns]
    in_post = sum(seniority.total.values())  # the bands count each person once
    return count_table(
        slug=f"{SLUG}-anciennete",
        title="Ancienneté des coordinateur·rices en poste",
        columns=[*columns, Column("in_post", "En poste")],
        rows=[
            (
                code,
                f"{name} ({code})",
                [*(seniority.rows[code][k] for k in keys), sum(seniority.rows[code].values())],
            )
            for code, name in seniority.departments
        ],
        total=[*(seniority.total[k] for k in keys), in_post],
        row_totals=len(keys),
        individual=context.individual,
        description=(
            "Coordinateur·rices en poste à la fin de la période, selon les années écoulées "
            "depuis leur première prise de poste de coordination (sur tout poste). Une personne "
            "qui occupe deux postes compte une fois."
        ),
        chart=STACKED,
        chart_columns=keys,
    )


def _last_cell(table, row_key=None, column=0):
    """A figure of a table as the table shows it (so a card never shows what a table hides):
    the row `row_key`, or the total row (the only row when there is one)."""
    if row_key is None:
        row = table.rows[-1]
    else:
        row = next(row for row in table.rows if row.key == row_key)
    return row.cells[column]


def build(context) -> Section:
    figures = register_indicators(context.period, context.scope)
    schemes, posts = figures["schemes"], figures["posts"]
    vacancies, due = figures["vacancies"], figures["schemes_due"]
    turnover, tenure = figures["turnover"], figures["tenure"]
    running = sum(
        schemes.total[kind][status]
        for kind in schemes.total
        for status in (Scheme.Status.ACTIVE, Scheme.Status.RENEWING)
    )
    last = max(turnover.total)
    trend, by_department = _turnover_tables(context, turnover, tenure)
    seniority = _seniority_table(context, figures["seniority"])
    tables = [
        _schemes_table(context, schemes),
        _posts_table(context, posts, vacancies, due),
        trend,
        by_department,
        seniority,
    ]
    arrivals = _last_cell(trend, last, 0)
    departures = _last_cell(trend, last, 1)
    cards = [
        Card(
            "dispositifs en cours",
            shown(running),
            link=_scheme_list(context, current="true"),
        ),
        Card(
            "postes pourvus",
            shown(posts.total["filled"]),
            detail=f"sur {posts.total['posts']} postes ouverts",
        ),
        Card(
            "postes vacants",
            shown(posts.total["vacant"]),
            link=_scheme_list(context, vacancy="true"),
            detail=f"et {posts.total['unknown']} de statut inconnu",
        ),
        Card(
            "coordinateur·rices en poste",
            _last_cell(seniority, column=len(SENIORITY_BANDS)).value,
            detail="une personne qui occupe deux postes compte une fois",
        ),
        Card(
            f"arrivées en {last}",
            arrivals.value,
            link=arrivals.link,
            detail=f"{departures.label} départs",
        ),
        Card(
            "vacance médiane des postes vacants",
            shown(vacancies.total["median_days"]),
            kind=DAYS,
        ),
        Card(
            "dispositifs à renouveler dans les 12 mois",
            shown(due.total["due"]),
            link=_scheme_list(context, renewal_due="true"),
        ),
    ]
    return Section(
        SLUG,
        "Dispositifs et postes",
        cards=cards,
        tables=tables,
        intro=(
            f"Le registre à la fin de la période ({context.period.label}) et ses mouvements "
            "sur les trois dernières années."
        ),
    )
