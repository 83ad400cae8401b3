"""Where a person counts on a dashboard, and figures split by département.

A person's place on a day is the scheme of the post they hold that day
(`coordinators.selectors.tenures_in_post`: its département and type; the first by département
code, type and id when they hold several), else the département of their profile's commune (no
scheme type then). It is the rule of the Boussole's counts (`resources.selectors.requests`),
taken on the period's end. A person with neither counts in the region's total only, under the
département `None`, and never in a partner's figures; with a scheme type chosen, only people
holding a post of that type count."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from coordinators.models import Scheme
from coordinators.selectors import CURRENT_SCHEMES, in_post
from territories.models import Department


def _scheme_of(person_path, on):
    # `tenures_in_post`'s conditions on the scheme's own post and tenure (one filter call: one
    # join each), the scheme current: no subquery inside this correlated one.
    return Scheme.objects.filter(
        in_post(on, tenure="posts__tenures__", post="posts__"),
        posts__tenures__person=OuterRef(person_path or "pk"),
        status__in=CURRENT_SCHEMES,
    ).order_by("department__code", "kind", "pk")


def in_scope(queryset, scope, person_path, on):
    """`queryset` annotated with `place` (a département code or None) and `place_kind` (the
    scheme type or None) of the person at `person_path` (None: the rows are people) on `on`,
    restricted to `scope`."""
    scheme = _scheme_of(person_path, on)
    prefix = f"{person_path}__" if person_path else ""
    queryset = queryset.annotate(
        place=Coalesce(
            Subquery(scheme.values("department__code")[:1]),
            f"{prefix}coordinator_profile__commune__department__code",
        ),
        place_kind=Subquery(scheme.values("kind")[:1]),
    )
    if scope.department_codes is not None:
        queryset = queryset.filter(place__in=scope.department_codes)
    if scope.scheme_kind:
        queryset = queryset.filter(place_kind=scope.scheme_kind)
    return queryset


def scope_codes(scope):
    """The département codes of the scope, in order (one query for the region)."""
    if scope.department_codes is not None:
        return sorted(scope.department_codes)
    return list(Department.objects.values_list("code", flat=True).order_by("code"))


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
