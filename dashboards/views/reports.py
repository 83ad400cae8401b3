"""`/tableau-de-bord/bilans/`: the yearly activity reports. Staff choose a year and a territory,
the platform drafts the report from the dashboard's sections, staff write its texts (each save
a version, which can be read and restored); the report prints from a page without navigation
and downloads as a PDF."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from core.permissions import requires

from .. import selectors, services
from ..models import Report
from ..pdf import PdfUnavailable, html_to_pdf
from ..report_forms import NarrativeForm, ReportForm
from ..reports import PART_KEYS, PART_TITLES

EDIT = "reports.edit"


@requires(EDIT)
def report_list(request):
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            report, created = services.report_open(
                year=form.cleaned_data["annee"],
                department_codes=form.cleaned_data["departements"],
                by=request.user,
            )
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            if created:
                messages.success(request, f"Le bilan « {report} » est créé : écrivez ses textes.")
            else:
                messages.info(request, f"Le bilan « {report} » existait déjà : le voici.")
            return redirect("report", pk=report.pk)
    return render(
        request, "dashboards/reports.html", {"form": form, "reports": selectors.reports()}
    )


def _narrative_form(part):
    current = part.current
    return NarrativeForm(
        prefix=part.key,
        label=f"Texte de « {part.title} »",
        initial={"text": current.text if current else "", "base": current.pk if current else ""},
    )


def _draft_page(request, report, *, bound=None):
    """The draft: each part's figures, its editor and its history; `bound` is the form of a
    part posted with errors (shown as it was typed)."""
    draft = selectors.report_draft(report, request.access)
    for part in draft.parts:
        posted = bound is not None and bound.prefix == part.key
        part.form = bound if posted else _narrative_form(part)
    return render(request, "dashboards/report.html", {"draft": draft, "report": report})


@requires(EDIT)
@require_safe
def report_detail(request, pk):
    return _draft_page(request, get_object_or_404(Report, pk=pk))


@require_POST
@requires(EDIT)
def report_narrative(request, pk, part):
    report = get_object_or_404(Report, pk=pk)
    if part not in PART_KEYS:
        raise Http404("Partie inconnue")
    label = f"Texte de « {PART_TITLES[part]} »"
    form = NarrativeForm(request.POST, prefix=part, label=label)
    if form.is_valid():
        try:
            version = services.narrative_save(
                report=report,
                part=part,
                text=form.cleaned_data["text"],
                by=request.user,
                base=form.cleaned_data["base"],
            )
        except services.TextChanged as error:
            # Shown again from the text saved meanwhile: saving again replaces it, knowingly.
            data = request.POST.copy()
            data[f"{part}-base"] = error.current.pk if error.current else ""
            form = NarrativeForm(data, prefix=part, label=label)
            form.is_valid()
            form.add_error("text", str(error))
        except services.ReportError as error:
            form.add_error("text", str(error))
        else:
            if version is None:
                messages.info(request, f"« {PART_TITLES[part]} » : le texte n’a pas changé.")
            else:
                messages.success(request, f"« {PART_TITLES[part]} » : le texte est enregistré.")
            return redirect(reverse("report", args=[report.pk]) + f"#partie-{part}")
    return _draft_page(request, report, bound=form)


def _version_or_404(report, version_pk):
    version = selectors.report_version(report, version_pk)
    if version is None:
        raise Http404("Version introuvable")
    return version


@requires(EDIT)
@require_safe
def report_version(request, pk, version_pk):
    report = get_object_or_404(Report, pk=pk)
    version = _version_or_404(report, version_pk)
    current = selectors.current_version(report, version.part)
    return render(
        request,
        "dashboards/report_version.html",
        {
            "report": report,
            "version": version,
            "part_title": PART_TITLES.get(version.part, version.part),
            "is_current": current is not None and current.pk == version.pk,
        },
    )


@require_POST
@requires(EDIT)
def report_version_restore(request, pk, version_pk):
    report = get_object_or_404(Report, pk=pk)
    version = _version_or_404(report, version_pk)
    title = PART_TITLES.get(version.part, version.part)
    restored = services.narrative_restore(report=report, version=version, by=request.user)
    if restored is None:
        messages.info(request, f"« {title} » : cette version est déjà le texte actuel.")
    else:
        saved = timezone.localtime(version.created_at)
        messages.success(
            request,
            f"« {title} » : la version du {saved:%d/%m/%Y à %H:%M} est de "
            "nouveau le texte actuel (le texte qu’elle remplace reste dans l’historique).",
        )
    return redirect(reverse("report", args=[report.pk]) + f"#partie-{version.part}")


def _document(request, report, *, pdf):
    draft = selectors.report_draft(report, request.access)
    return render_to_string(
        "dashboards/report_document.html", {"draft": draft, "report": report, "pdf": pdf}, request
    )


@requires(EDIT)
@require_safe
def report_print(request, pk):
    report = get_object_or_404(Report, pk=pk)
    return HttpResponse(_document(request, report, pdf=False))


@requires(EDIT)
@require_safe
def report_pdf(request, pk):
    report = get_object_or_404(Report, pk=pk)
    try:
        content = html_to_pdf(_document(request, report, pdf=True))
    except PdfUnavailable:
        return render(
            request, "dashboards/report_pdf_unavailable.html", {"report": report}, status=503
        )
    response = HttpResponse(content, content_type="application/pdf")
    territory = report.department_codes.replace(",", "-") or "ile-de-france"
    name = slugify(f"bilan-{report.year}-{territory}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


urlpatterns = [
    path("bilans/", report_list, name="reports"),
    path("bilans/<int:pk>/", report_detail, name="report"),
    path("bilans/<int:pk>/textes/<slug:part>/", report_narrative, name="report_narrative"),
    path("bilans/<int:pk>/versions/<int:version_pk>/", report_version, name="report_version"),
    path(
        "bilans/<int:pk>/versions/<int:version_pk>/restaurer/",
        report_version_restore,
        name="report_version_restore",
    ),
    path("bilans/<int:pk>/imprimer/", report_print, name="report_print"),
    path("bilans/<int:pk>/bilan.pdf", report_pdf, name="report_pdf"),
]
