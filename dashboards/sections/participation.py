"""Participation in the network's events (`dashboards.indicators.participation`): registrations
and attendance by département, events by kind and provider, the reach of coordinators in post,
newcomers at a welcome day, and the trend over the last three years.

Events are not about people: shown as they are. Registrations, presence, reach and welcome days
are: small numbers apply for partners. A rate is hidden with the figures it is computed from (a
shown rate beside a shown total would give a hidden count away). Event figures link to the
agenda (events of the kind, of the département, past), where staff open each event's
registrations."""

from datetime import date

from django.utils import timezone

from agenda.models import Event

from ..indicators.participation import (
    KINDS,
    PROVIDERS,
    participation_indicators,
    participation_trend,
)
from ..small_numbers import Suppressed, suppress_table
from ..tables import (
    BARS,
    LINES,
    PERCENT,
    STACKED,
    Card,
    Cell,
    Column,
    FigureTable,
    Row,
    Section,
    count_table,
    percent,
    shown,
    statistic_cell,
)
from .by_department import department_label

SLUG = "participation"
TITLE = "Participation aux temps collectifs"
PROVIDER_LABELS = {"regional": "Régionaux", "departmental": "Départementaux"}
KIND_LABELS = dict(Event.Kind.choices)


class _Agenda:
    """Links to the agenda's list of events (`agenda`: filters kind, département id, past),
    for readers who may see it."""

    def __init__(self, context):
        self.context = context
        self.allowed = context.may("events.view")

    def url(self, *, code=None, kind=None):
        if not self.allowed:
            return None
        if code is None and len(self.context.departments) == 1:
            code = self.context.departments[0][0]
        past = "passes" if self.context.period.start <= timezone.localdate() else None
        department = self.context.department_pk(code) if code else None
        return self.context.url("agenda", kind=kind, department=department, quand=past)


def _with_rate(context, table, breakdown, column, over, counts):
    """`table` with the rate `column.key` of each row's figures in `breakdown` added, computed
    over `over` people and hidden when one of the row's cells at `counts` (a slice: the counts
    it comes from) is."""

    def rate(row):
        figures = breakdown.total if row.total else breakdown.rows[row.key]
        return statistic_cell(
            figures[column.key],
            figures[over],
            individual=context.individual,
            counts=row.cells[counts],
        )

    table.add_column(column, rate)
    return table


def _attendance_table(context, agenda, attendance) -> FigureTable:
    keys = ("registrations", "registered_recorded", "present", "no_shows")
    table = count_table(
        slug=f"{SLUG}-inscriptions",
        title="Inscriptions et présence par département",
        columns=[
            Column("registrations", "Inscriptions"),
            Column("registered_recorded", "Dont présence relevée"),
            Column("present", "Présences"),
            Column("no_shows", "Absences non excusées"),
        ],
        rows=[
            (code, department_label(context, code), [attendance.rows[code][key] for key in keys])
            for code, _name in attendance.departments
        ],
        total=[attendance.total[key] for key in keys],
        individual=context.individual,
        description=(
            "Places confirmées ou proposées aux événements de la période (liste d’attente et "
            "annulations exclues ; séances de tutorat et événements annulés non comptés). Une "
            "inscription compte dans le département des dispositifs du poste que la personne "
            "occupait le jour de l’événement ; le total de la région compte aussi les invité·es "
            "(élu·es, responsables). Le taux de présence rapporte les présences aux inscriptions "
            "des événements où quelqu’un a été noté présent ou absent ; les absences non "
            "excusées sont celles des inscrit·es noté·es absent·es qui ne s’étaient pas "
            "excusé·es. Pour l’équipe, le nom d’un département ouvre son agenda (ses "
            "événements et ceux de la région), où se lisent les inscrit·es de chaque événement."
        ),
        chart=BARS,
        chart_columns=["registrations", "present", "no_shows"],
        # Staff open each event's registrations from the département's agenda; partners see
        # the events, not the people: no link from their counts of people.
        row_links={code: agenda.url(code=code) for code, _name in attendance.departments}
        if context.individual
        else None,
    )

    column = Column("attendance_rate", "Taux de présence", PERCENT)
    return _with_rate(context, table, attendance, column, "registered_recorded", slice(1, 3))


def _events_table(context, agenda, events) -> FigureTable:
    total = events.total
    rows = []
    for kind in KINDS:
        by_provider = total["by_kind_and_provider"][kind]
        rows.append(
            Row(
                kind,
                KIND_LABELS[kind],
                [Cell(shown(by_provider[provider])) for provider in PROVIDERS]
                + [Cell(shown(total["by_kind"][kind]), agenda.url(kind=kind))],
            )
        )
    rows.append(
        Row(
            None,
            "Total",
            [Cell(shown(total["by_provider"][provider])) for provider in PROVIDERS]
            + [Cell(shown(total["events"]), agenda.url())],
            total=True,
        )
    )
    return FigureTable(
        slug=f"{SLUG}-evenements",
        title="Événements par type et par organisateur",
        columns=[Column(p, PROVIDER_LABELS[p]) for p in PROVIDERS] + [Column("all", "Tous")],
        rows=rows,
        row_header="Type d’événement",
        description=(
            "Événements publiés de la période (séances de tutorat et événements annulés non "
            "comptés). Départementaux : organisés par un CRPV ou une délégation de l’ARS ; "
            "régionaux : par PromoSanté, le siège de l’ARS ou la Préfecture. "
            + "Pour toute la région (sans type de dispositif choisi), tous les événements "
            "comptent, même sans inscrit·e ; pour une partie de la région, un événement compte "
            "quand un·e coordinateur·rice de cette partie y avait une place."
            + " Le lien ouvre l’agenda des événements de ce type."
        ),
        chart=STACKED,
        chart_columns=list(PROVIDERS),
    )


def _events_by_department_table(context, agenda, events) -> FigureTable:
    def cells(figures, code):
        return [Cell(shown(figures["by_provider"][p])) for p in PROVIDERS] + [
            Cell(shown(figures["events"]), agenda.url(code=code))
        ]

    rows = [
        Row(code, department_label(context, code), cells(events.rows[code], code))
        for code, _name in events.departments
    ]
    if len(rows) > 1:
        rows.append(Row(None, "Total", cells(events.total, None), total=True))
    return FigureTable(
        slug=f"{SLUG}-evenements-departements",
        title="Événements auxquels les coordinateur·rices de chaque département ont participé",
        columns=[Column(p, PROVIDER_LABELS[p]) for p in PROVIDERS] + [Column("all", "Tous")],
        rows=rows,
        description=(
            "Un événement compte pour un département quand un·e coordinateur·rice qui y "
            "travaillait le jour de l’événement y avait une place ; il compte donc dans "
            "plusieurs départements, une fois dans le total. Le lien ouvre l’agenda du "
            "département (ses événements et ceux de la région)."
        ),
        chart=STACKED,
        chart_columns=list(PROVIDERS),
    )


def _reach_table(context, reach) -> FigureTable:
    table = count_table(
        slug=f"{SLUG}-portee",
        title="Coordinateur·rices venu·es à un événement au moins",
        columns=[
            Column("in_post", "En poste à la fin de la période"),
            Column("reached", "Présent·es à un événement au moins"),
        ],
        rows=[
            (
                code,
                department_label(context, code),
                [reach.rows[code]["in_post"], reach.rows[code]["reached"]],
            )
            for code, _name in reach.departments
        ],
        total=[reach.total["in_post"], reach.total["reached"]],
        individual=context.individual,
        description=(
            "Coordinateur·rices en poste le dernier jour de la période, dans le département "
            "des dispositifs de leur poste, et celles et ceux d’entre eux noté·es présent·es à "
            "un événement de la période au moins (où qu’il ait lieu). Une personne qui occupe "
            "deux postes compte une fois."
        ),
        chart=BARS,
    )

    column = Column("share", "Part", PERCENT)
    return _with_rate(context, table, reach, column, "in_post", slice(0, 2))


def _welcome_table(context, welcome) -> FigureTable:
    table = count_table(
        slug=f"{SLUG}-accueil",
        title="Nouveaux coordinateur·rices venu·es à une journée d’accueil",
        columns=[
            Column("newcomers", "Nouveaux arrivé·es"),
            Column("welcomed", "Venu·es à une journée d’accueil dans les 6 mois"),
        ],
        rows=[
            (
                code,
                department_label(context, code),
                [welcome.rows[code]["newcomers"], welcome.rows[code]["welcomed"]],
            )
            for code, _name in welcome.departments
        ],
        total=[welcome.total["newcomers"], welcome.total["welcomed"]],
        individual=context.individual,
        description=(
            "Personnes dont le premier poste de coordination a commencé pendant la période, "
            "dans le département des dispositifs de ce poste, et celles d’entre elles notées "
            "présentes à une journée d’accueil entre leur arrivée et 183 jours après."
        ),
        chart=BARS,
    )

    def share(row):
        figures = welcome.total if row.total else welcome.rows[row.key]
        return statistic_cell(
            percent(figures["welcomed"], figures["newcomers"]),
            figures["newcomers"],
            individual=context.individual,
            counts=row.cells[0:2],
        )

    table.add_column(Column("share", "Part", PERCENT), share)
    return table


def _trend_table(context, trend, attendance_table, reach_table) -> FigureTable:
    """Rows are years, not added up (a person in post counts every year): no total row, and so
    no equation between the cells, only the primary "< 3"."""
    years = sorted(trend)
    columns = [
        Column("registrations", "Inscriptions"),
        Column("present", "Présences"),
        Column("in_post", "Coordinateur·rices en poste"),
        Column("reached", "Présent·es à un événement au moins"),
    ]
    figures = suppress_table(
        [[trend[year][column.key] for column in columns] for year in years],
        individual=context.individual,
        row_totals=False,
        column_totals=False,
    )
    rows = [
        Row(year, str(year), [Cell(value) for value in cells])
        for year, cells in zip(years, figures.cells, strict=True)
    ]
    table = FigureTable(
        slug=f"{SLUG}-tendance",
        title="Participation sur trois ans",
        columns=columns,
        rows=rows,
        row_header="Année",
        description=(
            "Chaque année civile, la dernière jusqu’à la fin de la période, comptée comme les "
            "tableaux ci-dessus : inscriptions et présences aux événements de l’année ; "
            "coordinateur·rices en poste le dernier jour de l’année et celles et ceux "
            "d’entre eux présent·es à un événement de l’année."
        ),
        chart=LINES,
        chart_columns=["registrations", "present", "reached"],
    )
    last = years[-1]
    if context.period.start == date(last, 1, 1):
        # The period's own figures: hidden here wherever the section's tables hide them.
        _hide_where_hidden(table, last, attendance_table, ("registrations", "present"))
        _hide_where_hidden(table, last, reach_table, ("in_post", "reached"))

    def share(row):
        return statistic_cell(
            trend[row.key]["share"],
            trend[row.key]["in_post"],
            individual=context.individual,
            counts=row.cells[2:4],
        )

    table.add_column(Column("share", "Part des coordinateur·rices venu·es", PERCENT), share)
    return table


def _total_row(table):
    rows = [row for row in table.rows if row.total] or table.rows
    return rows[-1]


def _hide_where_hidden(table, row_key, source, keys):
    source_row = _total_row(source)
    source_index = {column.key: i for i, column in enumerate(source.columns)}
    index = {column.key: i for i, column in enumerate(table.columns)}
    row = next(row for row in table.rows if row.key == row_key)
    for key in keys:
        if source_row.cells[source_index[key]].suppressed:
            row.cells[index[key]] = Cell(Suppressed())


def _cell(table, key):
    """The cell `key` of `table`'s total (its only row when it has one), as the table shows
    it: a card never shows what a table hides."""
    index = next(i for i, column in enumerate(table.columns) if column.key == key)
    return _total_row(table).cells[index]


def build(context) -> Section:
    figures = participation_indicators(context.period, context.scope)
    trend = participation_trend(context.period, context.scope)
    agenda = _Agenda(context)
    attendance = _attendance_table(context, agenda, figures["attendance"])
    reach = _reach_table(context, figures["reach"])
    welcome = _welcome_table(context, figures["welcome_days"])
    tables = [
        attendance,
        _events_table(context, agenda, figures["events"]),
        _events_by_department_table(context, agenda, figures["events"]),
        reach,
        welcome,
        _trend_table(context, trend, attendance, reach),
    ]
    registrations = _cell(attendance, "registrations")
    newcomers = _cell(welcome, "newcomers")
    cards = [
        Card(
            "inscriptions aux événements",
            registrations.value,
            detail=f"événements de la période : {figures['events'].total['events']}",
            link=agenda.url(),
        ),
        Card(
            "taux de présence",
            _cell(attendance, "attendance_rate").value,
            kind=PERCENT,
            detail=f"absences non excusées : {_cell(attendance, 'no_shows').label}",
        ),
        Card(
            "coordinateur·rices venu·es à un événement au moins",
            _cell(reach, "share").value,
            kind=PERCENT,
            detail=(
                f"{_cell(reach, 'reached').label} sur {_cell(reach, 'in_post').label} en poste"
            ),
        ),
        Card(
            "nouveaux arrivé·es venu·es à une journée d’accueil",
            _cell(welcome, "welcomed").value,
            detail=f"dans les 6 mois ; nouveaux arrivé·es de la période : {newcomers.label}",
        ),
    ]
    return Section(
        SLUG,
        TITLE,
        cards=cards,
        tables=tables,
        intro=(
            f"Les événements du réseau ({context.period.label}) : qui s’y inscrit, qui vient, "
            "quelle part des coordinateur·rices en poste ils touchent, et l’accueil des "
            "nouveaux arrivé·es."
        ),
        links=[("Agenda des événements passés", context.url("agenda", quand="passes"))]
        if agenda.allowed
        else [],
    )
