"""The library (/ressources/): a first, minimal version that pathways need (the library issue
extends it). Opening a resource records a reading, which completes pathway steps."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from competencies.models import Competency
from core.pages import form_page
from core.permissions import requires

from . import hooks, services
from .forms import ResourceFilter, ResourceForm
from .models import Resource, ResourceRead

PAGE_SIZE = 30
# Staff edit the library. (A dedicated "resources.edit" permission would say it better.)
EDIT = "resources.edit"


def _visible(request):
    """Published resources; editors also see drafts."""
    resources = Resource.objects.all()
    if not request.access.can(EDIT):
        resources = resources.filter(is_published=True)
    read = ResourceRead.objects.filter(resource=OuterRef("pk"), person=request.user)
    return resources.annotate(read_at=Subquery(read.values("read_at")[:1]))


def _with_details(resources):
    return resources.prefetch_related(
        Prefetch("competencies", Competency.objects.select_related("domain"))
    )


def _facts(resources):
    """{resource id: [Fact]} that higher floors add (the offers it belongs to)."""
    facts = {}
    for answer in hooks.resource_facts.send(resources=resources):
        for pk, lines in answer.items():
            facts.setdefault(pk, []).extend(lines)
    return facts


@requires("resources.view")
def resource_list(request):
    resources = _visible(request)
    filterset = ResourceFilter(request.GET or None, queryset=resources)
    filtered = filterset.qs if filterset.is_bound and filterset.is_valid() else resources
    page = Paginator(_with_details(filtered), PAGE_SIZE).get_page(request.GET.get("page"))
    facts = _facts(list(page))
    for resource in page:
        resource.facts = facts.get(resource.pk, [])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_edit": request.access.can(EDIT),
        },
    )


def _resource_or_404(request, pk):
    resource = _with_details(_visible(request)).filter(pk=pk).first()
    if resource is None:
        raise Http404("Ressource introuvable")
    return resource


@requires("resources.view")
def resource_detail(request, pk):
    resource = _resource_or_404(request, pk)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "facts": _facts([resource]).get(resource.pk, []),
            "can_edit": request.access.can(EDIT),
            "counts_for_pathways": request.access.can("pathways.join"),
        },
    )


@require_POST
@requires("resources.view")
def resource_open(request, pk):
    """Record the reading (a coordinator's pathway steps complete), then go to the resource."""
    resource = _resource_or_404(request, pk)
    if request.access.can("pathways.join") and resource.is_published:
        services.resource_read(resource=resource, person=request.user)
    if resource.url:
        return redirect(resource.url)
    messages.success(request, "C'est noté : vous avez consulté cette ressource.")
    return redirect("resource", pk=resource.pk)


@requires(EDIT)
def resource_edit(request, pk=None):
    resource = get_object_or_404(Resource, pk=pk) if pk else Resource()
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        resource = form.save()
        messages.success(request, f"La ressource « {resource} » est enregistrée.")
        return redirect("resource", pk=resource.pk)
    return form_page(
        request,
        form,
        title=f"Modifier « {resource} »" if resource.pk else "Nouvelle ressource",
        back_url=reverse("resource", args=[resource.pk]) if resource.pk else reverse("resources"),
    )
