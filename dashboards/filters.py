"""What a dashboard counts over: a period (`Period`) and a territory (`Scope`), both read from
the URL and bounded, so that a figure is never about more than its reader may see.

A partner's scope is its organisations' départements (`Access.department_codes`); a département
asked for outside it is dropped, never added (ARS DD 93 asking for 75 sees 93). Regional readers
(staff, ARS head office, the Préfecture) see the region, or the départements they choose."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from accounts.access import Role
from coordinators.models import Scheme
from territories.models import Department

# A period longer than this is refused: figures over a decade say nothing of the programme.
MAX_PERIOD_YEARS = 5
FIRST_YEAR = 2015  # the programme's data start after this; earlier years are refused


class PeriodError(ValueError):
    """A period the dashboard refuses; the French message is shown as it is."""


@dataclass(frozen=True)
class Period:
    """[start, end], both days included."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls.between(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def between(cls, start: date, end: date) -> "Period":
        """The period from `start` to `end`, or `PeriodError` in French."""
        if start is None or end is None:
            raise PeriodError("Indiquez le début et la fin de la période.")
        if start > end:
            raise PeriodError(
                f"La période commence le {start:%d/%m/%Y}, après sa fin ({end:%d/%m/%Y}) : "
                "inversez les deux dates."
            )
        if start.year < FIRST_YEAR:
            raise PeriodError(
                f"Les données du réseau commencent en {FIRST_YEAR} : choisissez une période "
                "qui commence après."
            )
        if end.year > timezone.localdate().year + 1:
            raise PeriodError("La période finit trop loin dans l'avenir.")
        if (end - start).days > MAX_PERIOD_YEARS * 366:
            raise PeriodError(
                f"Une période couvre au plus {MAX_PERIOD_YEARS} ans : choisissez-en une plus "
                "courte (les tendances sur 3 ans sont présentées à part)."
            )
        return cls(start, end)

    def to_date(self) -> "Period":
        """The period cut at today when it is under way: what exists "at its end" (posts,
        people in post) is what exists today, and nothing after today has happened yet."""
        today = timezone.localdate()
        if self.start <= today < self.end:
            return Period(self.start, today)
        return self

    @property
    def label(self) -> str:
        today = timezone.localdate()
        if (self.start.month, self.start.day) == (1, 1) and self.end == today:
            if self.start.year == today.year:
                return f"{today.year}, jusqu’au {today:%d/%m/%Y}"
            return f"{self.start.year}–{today.year}, jusqu’au {today:%d/%m/%Y}"
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}–{self.end.year}"
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


@dataclass(frozen=True)
class Scope:
    """The territory a dashboard counts: `department_codes` (None = the whole region) and an
    optional scheme type. `regional` says the reader sees the region (départements side by
    side); `individual` that the reader may see individual rows (staff), else figures about
    fewer than 3 people are suppressed (`dashboards.small_numbers`)."""

    department_codes: frozenset | None
    scheme_kind: str | None = None
    regional: bool = False
    individual: bool = False

    def departments_filter(self, field: str) -> dict:
        """Keyword filter restricting `field` (a path to a Department) to the scope."""
        if self.department_codes is None:
            return {}
        return {f"{field}__code__in": self.department_codes}


def _all_codes() -> frozenset:
    return frozenset(Department.objects.values_list("code", flat=True))


def scope_for(access, *, department_codes=(), scheme_kind=None) -> Scope:
    """The scope `access` may count, narrowed to the départements and the scheme type asked
    for (in the URL): asked départements outside the reader's territory are dropped; none left
    means the reader's whole territory. An unknown scheme type is ignored. A territory of every
    département (the ARS head office) counts as the region, as staff's does."""
    allowed = access.department_codes  # None: the region
    if allowed is not None and len(allowed) > 1 and allowed >= _all_codes():
        allowed = None  # a territory of every département (the ARS head office) is the region
    asked = frozenset(code for code in department_codes if code)
    if allowed is not None:
        asked &= allowed
    codes = asked or allowed
    if scheme_kind not in Scheme.Kind.values:
        scheme_kind = None
    return Scope(
        department_codes=frozenset(codes) if codes is not None else None,
        scheme_kind=scheme_kind,
        regional=allowed is None,
        individual=access.role in (Role.STAFF, Role.SUPERUSER),
    )
