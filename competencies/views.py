"""The competency framework (/parcours/offres/competences/): read by every member, edited by
staff; a competency in use is deactivated, never deleted."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.pages import form_page
from core.permissions import requires

from . import selectors, services
from .forms import CompetencyDomainForm, CompetencyForm
from .models import Competency, CompetencyDomain


@requires("competencies.view")
def competency_list(request):
    can_edit = request.access.can("competencies.edit")
    return render(
        request,
        "competencies/list.html",
        {"domains": selectors.framework(with_inactive=can_edit), "can_edit": can_edit},
    )


@requires("competencies.edit")
def domain_edit(request, pk=None):
    domain = get_object_or_404(CompetencyDomain, pk=pk) if pk else CompetencyDomain()
    form = CompetencyDomainForm(request.POST or None, instance=domain)
    if request.method == "POST" and form.is_valid():
        try:
            domain = services.domain_save(domain=form.save(commit=False))
        except services.CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Domaine « {domain} » enregistré.")
            return redirect(reverse("competencies") + f"#domaine-{domain.pk}")
    title = (
        f"Modifier le domaine de compétences « {domain} »"
        if domain.pk
        else "Nouveau domaine de compétences"
    )
    return form_page(request, form, title=title, back_url=reverse("competencies"))


@requires("competencies.edit")
def competency_edit(request, pk=None):
    competency = get_object_or_404(Competency, pk=pk) if pk else Competency()
    initial = None
    if not pk and request.GET.get("domaine", "").isdigit():
        initial = {"domain": request.GET["domaine"]}
    form = CompetencyForm(request.POST or None, instance=competency, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            competency = services.competency_save(competency=form.save(commit=False))
        except services.CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Compétence « {competency} » enregistrée.")
            return redirect(reverse("competencies") + f"#competence-{competency.pk}")
    title = f"Modifier la compétence « {competency} »" if competency.pk else "Nouvelle compétence"
    return form_page(request, form, title=title, back_url=reverse("competencies"))


@require_POST
@requires("competencies.edit")
def competency_set_active(request, pk, active):
    """Competencies are never deleted (self-assessments rate them): they are deactivated."""
    competency = services.competency_set_active(
        competency=get_object_or_404(Competency, pk=pk), active=active
    )
    if active:
        messages.success(request, f"« {competency} » est de nouveau proposée.")
    else:
        messages.success(
            request,
            f"« {competency} » n'est plus proposée aux auto-évaluations ni aux offres ; les "
            "évaluations passées la gardent.",
        )
    return redirect(reverse("competencies") + f"#competence-{competency.pk}")
