"""The library (/ressources/): a first, minimal version that pathways need (the library issue
extends it). Opening a resource records a reading, which completes pathway steps."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from core.pages import form_page
from core.permissions import requires

from .. import files
from ..forms.library import ResourceFilter, ResourceForm
from ..models.library import Resource
from ..selectors import library as selectors
from ..services import library as services

PAGE_SIZE = 30
EDIT = "resources.edit"


def _visible(request):
    """What the person sees of the library (editors also see drafts)."""
    return selectors.resources_visible(person=request.user, with_drafts=request.access.can(EDIT))


@requires("resources.view")
def resource_list(request):
    resources = _visible(request)
    filterset = ResourceFilter(request.GET or None, queryset=resources)
    filtered = filterset.qs if filterset.is_bound and filterset.is_valid() else resources
    page = Paginator(selectors.with_details(filtered), PAGE_SIZE).get_page(request.GET.get("page"))
    facts = selectors.resource_facts(list(page))
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
    resource = selectors.resource_page(
        pk, person=request.user, with_drafts=request.access.can(EDIT)
    )
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
            "facts": selectors.resource_facts([resource]).get(resource.pk, []),
            "can_edit": request.access.can(EDIT),
            "counts_for_pathways": request.access.can("pathways.join"),
        },
    )


@require_GET
@requires("resources.view")
def resource_open(request, pk):
    """Open the resource's content (its file, or its link) and record the reading then only: a
    coordinator's pathway steps complete. Without content, nothing opens and nothing counts.

    A link, not a form: a form's redirect to another site is refused by the browser under the
    site's `form-action 'self'` policy, so a web resource would never open (while the reading
    was recorded). Following a link is opening the content; it opens in a new tab, so that the
    platform stays where it was."""
    resource = _resource_or_404(request, pk)
    if not resource.has_content:
        messages.error(request, "Cette ressource n'a pas encore de contenu : rien à ouvrir.")
        return redirect("resource", pk=resource.pk)
    response = files.content_response(resource)
    if response is None:
        messages.error(request, "Le fichier de cette ressource est introuvable.")
        return redirect("resource", pk=resource.pk)
    if request.access.can("pathways.join") and resource.is_published:
        services.resource_read(resource=resource, person=request.user)
    return response


@requires(EDIT)
def resource_edit(request, pk=None):
    resource = get_object_or_404(Resource, pk=pk) if pk else Resource()
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_save(
                resource=form.save(commit=False),
                competencies=form.cleaned_data["competencies"],
            )
        except services.ResourceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"La ressource « {resource} » est enregistrée.")
            return redirect("resource", pk=resource.pk)
    return form_page(
        request,
        form,
        title=f"Modifier la ressource « {resource} »" if resource.pk else "Nouvelle ressource",
        back_url=reverse("resource", args=[resource.pk]) if resource.pk else reverse("resources"),
    )


urlpatterns = [
    path("", resource_list, name="resources"),
    path("nouvelle/", resource_edit, name="resource_create"),
    path("<int:pk>/", resource_detail, name="resource"),
    path("<int:pk>/modifier/", resource_edit, name="resource_edit"),
    path("<int:pk>/ouvrir/", resource_open, name="resource_open"),
]
