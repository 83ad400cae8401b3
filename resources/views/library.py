"""The library (/ressources/): the list (search and filters), a resource's page with its
versions, opening its content (a reading, which completes pathway steps), the staff's forms.

A resource's page and content are public for a resource of the public audience: they check the
audience themselves (`selectors.library.visible`); a visitor without account asking for another
goes to log in, a member who may not read it meets a 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from core.pages import form_page
from core.permissions import requires

from .. import files
from ..forms.library import ResourceFilterForm, ResourceForm, ResourceVersionForm
from ..models.library import Resource
from ..selectors import library as selectors
from ..selectors import requests as request_selectors
from ..services import library as services

PAGE_SIZE = 30
# The library's other pages, offered on its list to those who may use them.
LIBRARY_LINKS = [
    ("Packs pour les élus et les responsables", "packs", "packs.share"),
    ("Demandes de documents", "resource_requests", "resources.requests_manage"),
    ("Mes demandes de documents", "my_resource_requests", "resources.request"),
]
EDIT = "resources.edit"
VIEW = "resources.view"


def _person(request):
    return request.user if request.user.is_authenticated else None


@requires(VIEW)
def resource_list(request):
    access = request.access
    form = ResourceFilterForm(
        request.GET or None, access=access, providers=selectors.providers(access)
    )
    resources = selectors.library(
        access, person=request.user, filters=selectors.Filters(**form.filters())
    )
    page = Paginator(selectors.with_details(resources), PAGE_SIZE).get_page(request.GET.get("page"))
    facts = selectors.resource_facts(list(page))
    for resource in page:
        resource.facts = facts.get(resource.pk, [])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searched": bool(form.filters()),
            "can_edit": access.can(EDIT),
            "library_links": [
                (label, reverse(name))
                for label, name, permission in LIBRARY_LINKS
                if access.can(permission)
            ],
        },
    )


def _readable_or_refuse(request, pk):
    """The resource if this person may read it; else a visitor goes to log in, a member gets a
    404 (its existence is not revealed) and an account without a role a 403."""
    resource = selectors.resource_page(pk, access=request.access, person=_person(request))
    if resource is not None:
        return resource
    if not request.user.is_authenticated:
        raise _LoginFirst
    if request.access.can(VIEW):
        raise Http404("Ressource introuvable")
    raise PermissionDenied


class _LoginFirst(Exception):
    pass


def _public(view):
    """A page of the library open without an account (the resource's audience decides)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginFirst:
            return redirect_to_login(request.get_full_path())

    return login_not_required(wrapped)


@_public
def resource_detail(request, pk):
    resource = _readable_or_refuse(request, pk)
    access, person = request.access, _person(request)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "facts": selectors.resource_facts([resource]).get(resource.pk, []),
            "versions": selectors.versions_of(resource),
            "request_block": request_selectors.resource_page_block(
                resource, access=access, person=person
            ),
            "can_edit": access.can(EDIT),
            "counts_for_pathways": access.can("pathways.join"),
        },
    )


def _open(request, resource, content):
    """Serve `content` (the resource, or one of its versions) and record the reading then only;
    without content, nothing opens and nothing counts."""
    if not content.has_content:
        messages.error(request, "Cette ressource n'a pas encore de contenu : rien à ouvrir.")
        return redirect("resource", pk=resource.pk)
    response = files.content_response(content)
    if response is None:
        messages.error(request, "Le fichier de cette ressource est introuvable.")
        return redirect("resource", pk=resource.pk)
    if request.access.can("pathways.join") and resource.is_published:
        services.resource_read(resource=resource, person=request.user)
    return response


@require_GET
@_public
def resource_open(request, pk):
    """Open the resource's current content (its file, or its link).

    A link, not a form: a form's redirect to another site is refused by the browser under the
    site's `form-action 'self'` policy, so a web resource would never open (while the reading
    was recorded). Following a link is opening the content; it opens in a new tab, so that the
    platform stays where it was."""
    resource = _readable_or_refuse(request, pk)
    return _open(request, resource, resource)


@require_GET
@_public
def resource_version_open(request, pk, version_pk):
    """Open an earlier (or the current) version of a resource: a reading of the resource."""
    resource = _readable_or_refuse(request, pk)
    version = selectors.version_of(resource, version_pk)
    if version is None:
        raise Http404("Version introuvable")
    return _open(request, resource, version)


# The forms that take a file parse it before any transaction opens (see core/transactions.py);
# their services write in one transaction of their own.


@transaction.non_atomic_requests
@requires(EDIT)
def resource_edit(request, pk=None):
    resource = get_object_or_404(Resource, pk=pk) if pk else Resource()
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_save(
                resource=form.save(commit=False),
                competencies=form.cleaned_data["competencies"],
                topics=form.cleaned_data["topics"],
                by=request.user,
                note=form.cleaned_data.get("version_note", ""),
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


@transaction.non_atomic_requests
@requires(EDIT)
def resource_version_add(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    form = ResourceVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_version_add(
                resource=resource,
                file=form.cleaned_data["file"],
                url=form.cleaned_data["url"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.ResourceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"La nouvelle version de « {resource} » est en ligne.")
            return redirect(reverse("resource", args=[resource.pk]) + "#versions")
    return form_page(
        request,
        form,
        title=f"Nouvelle version de « {resource} »",
        back_url=reverse("resource", args=[resource.pk]),
        submit="Mettre en ligne",
    )


urlpatterns = [
    path("", resource_list, name="resources"),
    path("nouvelle/", resource_edit, name="resource_create"),
    path("<int:pk>/", resource_detail, name="resource"),
    path("<int:pk>/modifier/", resource_edit, name="resource_edit"),
    path("<int:pk>/ouvrir/", resource_open, name="resource_open"),
    path("<int:pk>/versions/nouvelle/", resource_version_add, name="resource_version_add"),
    path(
        "<int:pk>/versions/<int:version_pk>/ouvrir/",
        resource_version_open,
        name="resource_version_open",
    ),
]
