"""Reads of the dashboards: the yearly activity reports, their texts and their versions."""

from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from .models import NarrativeVersion, Report
from .reports import NARRATIVE_PARTS, Part, report_context, territory_label, without_links
from .sections import SECTIONS, build_sections


def reports():
    """Every report, the latest years first, with how many texts were saved and when last."""
    return (
        Report.objects.select_related("created_by")
        .annotate(version_count=Count("versions"), written_at=Max("versions__created_at"))
        .order_by("-year", "department_codes")
    )


def report_versions(report) -> dict:
    """{part: [NarrativeVersion, newest first]} of `report` (one query)."""
    versions = {}
    queryset = (
        NarrativeVersion.objects.filter(report=report)
        .select_related("author", "restored_from")
        .order_by("-created_at", "-pk")
    )
    for version in queryset:
        versions.setdefault(version.part, []).append(version)
    return versions


def report_version(report, pk):
    """A version of a text of `report`, or None."""
    return (
        NarrativeVersion.objects.filter(report=report, pk=pk)
        .select_related("author", "restored_from")
        .first()
    )


def current_version(report, part):
    return (
        NarrativeVersion.objects.filter(report=report, part=part)
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass
class Draft:
    """A report as read: its territory, its period, its parts in order (`reports.Part`)."""

    report: Report
    context: object  # reports.ReportContext
    territory: str
    parts: list
    computed_on: object  # the day its figures were computed

    @property
    def period(self):
        return self.context.period


def report_draft(report, access) -> Draft:
    """The parts of `report`, each with its current text, its history and the figures of its
    section, counted for the report's year and territory (a fixed number of queries)."""
    context = report_context(report, access)
    built = [without_links(section) for section in build_sections(context)]
    sections = dict(zip([slug for slug, _title in SECTIONS], built, strict=True))
    versions = report_versions(report)
    parts = []
    for key, title, hint in NARRATIVE_PARTS:
        history = versions.get(key, [])
        parts.append(
            Part(
                key=key,
                title=title,
                hint=hint,
                current=history[0] if history else None,
                history=history,
                section=sections.get(key),
            )
        )
    departments = None if report.is_regional else context.departments
    return Draft(
        report=report,
        context=context,
        territory=territory_label(departments),
        parts=parts,
        computed_on=timezone.localdate(),
    )
