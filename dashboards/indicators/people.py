"""Where a person counts on a dashboard, and figures split by département.

A person's place on a day is the scheme of the post they hold that day
(`coordinators.selectors.tenures_in_post`: its département and type; the first by département
code, type and id when they hold several), else the département of their profile's commune (no
scheme type then). It is the rule of the Boussole's counts (`resources.selectors.requests`),
taken on the period's end. A person with neither counts in the region's total only, under the
département `None`, and never in a partner's figures; with a scheme type chosen, only people
holding a post of that type count."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import CharField, Exists, F, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from coordinators.models import CoordinatorProfile, Scheme, Tenure
from coordinators.selectors import CURRENT_SCHEMES, in_post
from territories.models import Department

from ..models import Placement


@dataclass(frozen=True)
class _Block:
    """What a `placed` block under way holds: the day of its placements and every
    département, [(code, name)] in code order."""

    on: object
    departments: list


_block = ContextVar("dashboard_block", default=None)


def _scheme_of(person_path, on):
    # `tenures_in_post`'s conditions on the scheme's own post and tenure (one filter call: one
    # join each), the scheme current: no subquery inside this correlated one.
    return Scheme.objects.filter(
        in_post(on, tenure="posts__tenures__", post="posts__"),
        posts__tenures__person=OuterRef(person_path or "pk"),
        status__in=CURRENT_SCHEMES,
    ).order_by("department__code", "kind", "pk")


def _placed(queryset, person_path, on):
    """The rule itself: `place` and `place_kind` computed for each row (two correlated
    subqueries)."""
    scheme = _scheme_of(person_path, on)
    prefix = f"{person_path}__" if person_path else ""
    return queryset.annotate(
        place=Coalesce(
            Subquery(scheme.values("department__code")[:1]),
            f"{prefix}coordinator_profile__commune__department__code",
        ),
        place_kind=Subquery(scheme.values("kind")[:1]),
    )


def in_scope(queryset, scope, person_path, on):
    """`queryset` annotated with `place` (a département code or None) and `place_kind` (the
    scheme type or None) of the person at `person_path` (None: the rows are people) on `on`,
    restricted to `scope`. Inside a `placed(on)` block the places are read from its table (one
    join), else computed for each row."""
    block = _block.get()
    if block is not None and block.on == on:
        path = f"{person_path}__dashboard_placement" if person_path else "dashboard_placement"
        queryset = queryset.annotate(place=F(f"{path}__place"), place_kind=F(f"{path}__place_kind"))
    else:
        queryset = _placed(queryset, person_path, on)
    if scope.department_codes is not None:
        queryset = queryset.filter(place__in=scope.department_codes)
    if scope.scheme_kind:
        queryset = queryset.filter(place_kind=scope.scheme_kind)
    return queryset


def _held_tenures(on):
    """`tenures_in_post(on)` with the current scheme joined, not in a subquery: no subquery
    nested in the correlated one that uses it."""
    return Tenure.objects.filter(in_post(on), post__schemes__status__in=CURRENT_SCHEMES)


def _placements(on):
    """Every person who has a place on `on`, with it: (person_id, place, place_kind) rows, the
    rule of `_placed` in one pass (a scheme held, the first by département code, type and id;
    else the commune of a profile) rather than two subqueries per person."""
    held = (
        Scheme.objects.filter(
            in_post(on, tenure="posts__tenures__", post="posts__"), status__in=CURRENT_SCHEMES
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("posts__tenures__person")],
                order_by=[F("department__code"), F("kind"), F("pk")],
            )
        )
        .filter(rank=1)
        .order_by()
        .values(
            person_id=F("posts__tenures__person"),
            place=F("department__code"),
            place_kind=F("kind"),
        )
    )
    elsewhere = (
        CoordinatorProfile.objects.filter(commune__isnull=False)
        .exclude(Exists(_held_tenures(on).filter(person=OuterRef("user"))))
        .order_by()
        .values(
            person_id=F("user_id"),
            place=F("commune__department__code"),
            place_kind=Value(None, output_field=CharField()),
        )
    )
    return held.union(elsewhere, all=True)


@contextmanager
def placed(on):
    """Within the block, `in_scope(..., on)` reads each person's place from a temporary table
    (`models.Placement`) filled once from `_placements(on)`, instead of placing the rows of
    every indicator again, and the départements are read once: three queries (four on
    PostgreSQL, which is told the table's statistics), whatever the volume. The table is
    dropped when the block ends, whatever happens in it."""
    if _block.get() is not None:  # a block is already under way: its table serves
        yield
        return
    sql, params = _placements(on).query.sql_with_params()
    with _temporary_table(Placement._meta.db_table, sql, params):
        token = _block.set(_Block(on, _departments()))
        try:
            yield
        finally:
            _block.reset(token)


@contextmanager
def _temporary_table(name, sql, params):
    """A temporary table filled by `sql` for the time of the block, on this connection only."""
    table = connection.ops.quote_name(name)
    create, drop = f"CREATE TEMPORARY TABLE {table} AS {sql}", f"DROP TABLE {table}"
    if connection.vendor == "postgresql":
        # In a transaction: a failure in the block aborts it, and the rollback takes the table.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(create, params)
                cursor.execute(f"ANALYZE {table}")  # the planner's estimates of the joins
            yield
            with connection.cursor() as cursor:
                cursor.execute(drop)
    else:
        # SQLite: no transaction of our own (the settings' are IMMEDIATE: it would hold the
        # database's write lock for the whole dashboard); a temporary table locks nothing.
        with connection.cursor() as cursor:
            cursor.execute(create, params)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(drop)


def _departments():
    return list(Department.objects.order_by("code").values_list("code", "name"))


def departments() -> list:
    """[(code, name)] of every département, in code order (read once in a `placed` block)."""
    block = _block.get()
    return block.departments if block is not None else _departments()


def scope_codes(scope):
    """The département codes of the scope, in order."""
    if scope.department_codes is not None:
        return sorted(scope.department_codes)
    return [code for code, _name in departments()]


@dataclass
class Split:
    """Figures (name → int) for the whole scope and for each of its départements (code →
    figures, every département of the scope present, zeros included; `None`: people of the
    region whose département is unknown, present only when some are)."""

    total: dict
    departments: dict = field(default_factory=dict)


def split(rows, names, codes):
    """A `Split` from aggregate rows ({"place": code, name: count, …}), summed for the total."""
    zero = dict.fromkeys(names, 0)
    departments = {code: dict(zero) for code in codes}
    total = dict(zero)
    for row in rows:
        line = departments.setdefault(row["place"], dict(zero))
        for name in names:
            line[name] += row[name] or 0
            total[name] += row[name] or 0
    return Split(total=total, departments=departments)
