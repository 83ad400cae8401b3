"""The competency framework (/parcours/offres/competences/): read by every member, edited by
staff; a competency in use is deactivated, never deleted."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.pages import form_page
from core.permissions import requires

from .forms import CompetencyDomainForm, CompetencyForm
from .models import Competency, CompetencyDomain


@requires("offers.view")
def competency_list(request):
    can_edit = request.access.can("competencies.edit")
    competencies = Competency.objects.all()
    if not can_edit:
        competencies = competencies.filter(is_active=True)
    domains = CompetencyDomain.objects.prefetch_related(
        Prefetch("competencies", competencies.order_by("position", "name"))
    )
    return render(
        request,
        "competencies/list.html",
        {"domains": domains, "can_edit": can_edit},
    )


@requires("competencies.edit")
def domain_edit(request, pk=None):
    domain = get_object_or_404(CompetencyDomain, pk=pk) if pk else CompetencyDomain()
    form = CompetencyDomainForm(request.POST or None, instance=domain)
    if request.method == "POST" and form.is_valid():
        domain = form.save()
        messages.success(request, f"Domaine « {domain} » enregistré.")
        return redirect(reverse("competencies") + f"#domaine-{domain.pk}")
    title = f"Modifier « {domain} »" if domain.pk else "Nouveau domaine de compétences"
    return form_page(request, form, title=title, back_url=reverse("competencies"))


@requires("competencies.edit")
def competency_edit(request, pk=None):
    competency = get_object_or_404(Competency, pk=pk) if pk else Competency()
    initial = None
    if not pk and request.GET.get("domaine", "").isdigit():
        initial = {"domain": request.GET["domaine"]}
    form = CompetencyForm(request.POST or None, instance=competency, initial=initial)
    if request.method == "POST" and form.is_valid():
        competency = form.save()
        messages.success(request, f"Compétence « {competency} » enregistrée.")
        return redirect(reverse("competencies") + f"#competence-{competency.pk}")
    title = f"Modifier « {competency} »" if competency.pk else "Nouvelle compétence"
    return form_page(request, form, title=title, back_url=reverse("competencies"))


@require_POST
@requires("competencies.edit")
def competency_set_active(request, pk, active):
    """Competencies are never deleted (self-assessments rate them): they are deactivated."""
    competency = get_object_or_404(Competency, pk=pk)
    competency.is_active = active
    competency.save(update_fields=["is_active"])
    if active:
        messages.success(request, f"« {competency} » est de nouveau proposée.")
    else:
        messages.success(
            request,
            f"« {competency} » n'est plus proposée aux auto-évaluations ni aux offres ; les "
            "évaluations passées la gardent.",
        )
    return redirect(reverse("competencies") + f"#competence-{competency.pk}")
