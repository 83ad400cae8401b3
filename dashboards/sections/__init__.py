"""The dashboard's sections, in the order of the page: each module builds one `Section`
(`dashboards.tables`) from its indicators for a `Context`, and every output (the page, the
CSV/XLSX exports, the yearly report) reads the same sections.

A section builder is `build(context) -> Section`; it runs a fixed number of queries whatever
the volume, applies small numbers through `dashboards.tables.count_table`/`statistic_cell`,
and links each figure to the list it counts when `context.may_list(...)` says the reader may
see it."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse

from territories.models import Department

from ..filters import Period
from ..indicators.people import placed
from ..indicators.register import scope_departments

# (slug, title) in the order of the page; the builders are imported lazily by `build_sections`.
SECTIONS = [
    ("registre", "Dispositifs et postes"),
    ("participation", "Participation aux temps collectifs"),
    ("parcours", "Parcours et auto-évaluations"),
    ("reseau", "Entraide et ressources"),
    ("besoins", "Besoins exprimés"),
]


@dataclass
class Context:
    """What a section needs: the period, the scope, the reader's access (for links)."""

    period: object  # dashboards.filters.Period
    scope: object  # dashboards.filters.Scope
    access: object  # accounts.access.Access

    @cached_property
    def departments(self) -> list:
        """[(code, name)] of the scope, in code order (one query, shared by the sections)."""
        return scope_departments(self.scope)

    @property
    def individual(self) -> bool:
        return self.scope.individual

    def department_name(self, code) -> str:
        if code is None:
            return "Département inconnu"
        return dict(self.departments).get(code, code)

    @cached_property
    def _department_pks(self) -> dict:
        return dict(Department.objects.values_list("code", "pk"))

    def department_pk(self, code):
        """The id of a département, for the lists that filter on it (one query, cached)."""
        return self._department_pks.get(code)

    @property
    def whole_region(self) -> bool:
        """The scope covers every département (staff, or ARS head office without a choice)."""
        codes = self.scope.department_codes
        return codes is None or set(codes) >= set(self._department_pks)

    @property
    def filter_params(self) -> dict:
        """The scope as the dashboard's own query parameters (for links between its pages):
        the départements asked for (a partner's own are implied) and the scheme type."""
        params = {"type": self.scope.scheme_kind}
        codes = self.scope.department_codes
        if codes is not None and codes != self.access.department_codes:
            params["departement"] = sorted(codes)
        return params

    @property
    def link_params(self) -> dict:
        """The period and the scope as query parameters, for links between the dashboard's
        pages: a year as `annee` (a year under way stays the year under way tomorrow), else
        `du`/`au`, then `filter_params` (None values left out)."""
        period = self.period
        year = period.start.year
        if period.start == date(year, 1, 1) and Period.year(year).to_date() == period:
            params = {"annee": year}
        else:
            params = {"du": period.start.isoformat(), "au": period.end.isoformat()}
        params.update((k, v) for k, v in self.filter_params.items() if v is not None)
        return params

    def may(self, permission) -> bool:
        return self.access.can(permission)

    @cached_property
    def _paths(self) -> dict:
        return {}

    def url(self, name, *args, **params) -> str:
        """`reverse(name, args)` with the query string `params` (None values left out)."""
        query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
        if (name, args) not in self._paths:  # a dashboard links to the same pages hundreds of times
            self._paths[name, args] = reverse(name, args=args)
        path = self._paths[name, args]
        return f"{path}?{query}" if query else path


def builders():
    from . import learning, needs, network, participation, register

    return {
        "registre": register.build,
        "participation": participation.build,
        "parcours": learning.build,
        "reseau": network.build,
        "besoins": needs.build,
    }


def build_sections(context, only=None) -> list:
    """The sections for `context`, all or those whose slug is in `only`."""
    table = builders()
    with placed(context.period.end):
        return [table[slug](context) for slug, _title in SECTIONS if only is None or slug in only]
