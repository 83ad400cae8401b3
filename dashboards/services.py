"""Writes of the dashboards: the yearly activity reports and the versions of their texts."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from territories.models import Department

from .filters import FIRST_YEAR
from .models import REGION, NarrativeVersion, Report
from .reports import PART_KEYS, PART_TITLES, report_title

TEXT_MAX_LENGTH = 20_000
# `narrative_save(base=ANY)`: save whatever the current version is (no check of a concurrent
# change).
ANY = object()


class ReportError(Exception):
    """A change the reports refuse; the French message is shown as it is."""


class TextChanged(ReportError):
    """Someone saved the text since the writer opened it: `current` is that version."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


def last_report_year() -> int:
    """The year under way: a later one would print figures of days still to come."""
    return timezone.localdate().year


def report_open(*, year: int, department_codes, by) -> tuple[Report, bool]:
    """The report of `year` for the départements `department_codes` (none, or all of them:
    the region), created if there is none yet: (report, created). Never a second report of
    the same year and territory, even when two people ask at once."""
    if not isinstance(year, int) or not FIRST_YEAR <= year <= last_report_year():
        raise ReportError(
            f"Choisissez une année entre {FIRST_YEAR} et {last_report_year()} : le réseau "
            f"n’a pas de données avant {FIRST_YEAR}."
        )
    codes = sorted({str(code).strip() for code in department_codes if str(code).strip()})
    departments = list(Department.objects.order_by("code").values_list("code", "name"))
    known = dict(departments)
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ReportError("Département inconnu : " + ", ".join(unknown) + ".")
    if len(codes) == len(known):
        codes = []  # every département: the region
    key = ",".join(codes) if codes else REGION
    existing = Report.objects.filter(year=year, department_codes=key).first()
    if existing is not None:
        return existing, False
    chosen = [(code, known[code]) for code in codes] if codes else None
    try:
        with transaction.atomic():
            report = Report.objects.create(
                year=year, department_codes=key, title=report_title(year, chosen), created_by=by
            )
    except IntegrityError:  # created by someone else in the meantime
        return Report.objects.get(year=year, department_codes=key), False
    return report, True


def _current(report, part):
    return (
        NarrativeVersion.objects.filter(report=report, part=part)
        .order_by("-created_at", "-pk")
        .first()
    )


def _write(report, part, text, by, restored_from=None):
    now = timezone.now()
    version = NarrativeVersion.objects.create(
        report=report, part=part, text=text, author=by, created_at=now, restored_from=restored_from
    )
    Report.objects.filter(pk=report.pk).update(updated_at=now)
    report.updated_at = now
    return version


def _changed_meanwhile(current) -> str:
    said = ""
    if current is not None:
        author = current.author
        who = (author.get_full_name() or author.email) if author else ""
        said = (f" par {who}" if who else "") + (
            f" le {timezone.localtime(current.created_at):%d/%m/%Y à %H:%M}"
        )
    return (
        f"Ce texte a été modifié{said} pendant que vous écriviez : le vôtre n’est pas "
        "enregistré. Relisez la version actuelle (dans l’historique) ; enregistrer à nouveau "
        "remplacera le texte actuel par le vôtre (il restera dans l’historique)."
    )


@transaction.atomic
def narrative_save(*, report: Report, part: str, text: str, by, base=ANY):
    """Save `text` as the new current version of `part` of `report`, the earlier ones kept;
    None when it is the current text already (nothing to keep). `base` is the pk of the
    version the writer started from (None: there was none): if someone saved another since,
    nothing is saved and the writer is told, so that no one overwrites a text unread."""
    if part not in PART_KEYS:
        raise ReportError("Cette partie du bilan n’existe pas.")
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ReportError(
            f"Écrivez le texte de « {PART_TITLES[part]} » avant de l’enregistrer "
            "(un texte vide n’est pas enregistré)."
        )
    if "\x00" in text:
        raise ReportError("Le texte contient un caractère nul : retirez-le.")
    if len(text) > TEXT_MAX_LENGTH:
        raise ReportError(
            f"Un texte fait au plus {TEXT_MAX_LENGTH:_} caractères ; celui-ci en fait "
            f"{len(text):_}.".replace("_", "\u202f")
        )
    Report.objects.select_for_update().filter(pk=report.pk).first()  # one writer at a time
    current = _current(report, part)
    if base is not ANY and (current.pk if current else None) != base:
        raise TextChanged(_changed_meanwhile(current), current)
    if current is not None and current.text == text:
        return None
    return _write(report, part, text, by)


@transaction.atomic
def narrative_restore(*, report: Report, version: NarrativeVersion, by):
    """Make an earlier version of a text the current one again (as a new version, so that the
    one it replaces is kept too); None when it is the current text already."""
    if version.report_id != report.pk:
        raise ReportError("Cette version n’est pas un texte de ce bilan.")
    Report.objects.select_for_update().filter(pk=report.pk).first()
    current = _current(report, version.part)
    if current is not None and current.text == version.text:
        return None
    return _write(report, version.part, version.text, by, restored_from=version)
