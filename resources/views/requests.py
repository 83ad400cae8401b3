"""Requests for resources distributed on request (the Boussole): a coordinator asks from the
resource's page (the block `resources/requests/_block.html`) and follows their requests on
/ressources/demandes/mes-demandes/; the team processes them on /ressources/demandes/ (counts,
filters, the checked rows at once, export) and one by one on a request's page."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from core.permissions import requires

from .. import request_exports
from ..forms.requests import BulkDecisionForm, DecisionForm, RequestFilter, ResourceRequestForm
from ..models.requests import ResourceRequest
from ..selectors import library as library_selectors
from ..selectors import requests as selectors
from ..services import requests as services

ASK = "resources.request"
MANAGE = "resources.requests_manage"
PAGE_SIZE = 50
# What became of the requests, in the singular and the plural.
DONE = {
    services.ACCEPT: ("acceptée", "acceptées"),
    services.SEND: ("marquée envoyée", "marquées envoyées"),
    services.REFUSE: ("refusée", "refusées"),
}


def _posted(request):
    """The data a form is bound to: what was posted (even nothing), None on GET."""
    return request.POST if request.method == "POST" else None


def _add_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, str(error))


# --- The coordinator ------------------------------------------------------------------------


@requires(ASK)
def request_create(request, pk):
    """Ask for a resource on request (the block of its page posts here); errors are shown on
    this page, the form as it was typed."""
    resource = library_selectors.readable(request.access).filter(pk=pk).first()
    if resource is None:
        raise Http404("Ressource introuvable")
    if request.method == "GET" and not resource.on_request:
        messages.error(request, services.NOT_ON_REQUEST.format(title=resource.title))
        return redirect("resource", pk=resource.pk)
    form = ResourceRequestForm(
        _posted(request),
        initial=selectors.address_prefill(request.user),
        resource=resource,
        auto_id="demande_%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_create(resource=resource, requester=request.user, **form.cleaned_data)
        except services.RequestError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                f"Votre demande de « {resource.title} » est envoyée à l’équipe PromoSanté : "
                "vous serez prévenu·e par e-mail de chaque étape.",
            )
            return redirect("resource", pk=resource.pk)
    return render(
        request,
        "resources/requests/ask.html",
        {"resource": resource, "form": form},
    )


@require_POST
@requires(ASK)
def request_withdraw(request, pk):
    asked = get_object_or_404(ResourceRequest, pk=pk, requester=request.user)
    try:
        services.request_withdraw(request=asked, person=request.user)
    except services.RequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Votre demande est retirée.")
    return redirect("my_resource_requests")


@requires(ASK)
@require_safe
def my_requests(request):
    return render(
        request,
        "resources/requests/mine.html",
        {"requests": selectors.my_requests(request.user), "team_email": settings.TEAM_EMAIL},
    )


# --- The team --------------------------------------------------------------------------------


def _filtered(request):
    """The team's list as filtered by the query string, and its filter set."""
    requests = selectors.requests_for_team()
    filterset = RequestFilter(request.GET or None, queryset=requests)
    if filterset.is_bound and filterset.is_valid():
        requests = filterset.qs
    return filterset, requests


def _list_page(request, bulk_form, *, status=200):
    filterset, requests = _filtered(request)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/requests/list.html",
        {
            "filter": filterset,
            "page": page,
            "counts": selectors.team_counts(requests),
            "bulk": bulk_form,
            "checked": bulk_form.checked(),
            "query": query.urlencode(),
            "full_query": request.GET.urlencode(),
        },
        status=status,
    )


@requires(MANAGE)
@require_safe
def request_list(request):
    form = BulkDecisionForm(initial={"sent_on": timezone.localdate()}, auto_id="lot_%s")
    return _list_page(request, form)


@require_POST
@requires(MANAGE)
def request_bulk(request):
    """The checked requests of the list take one step, all or none; the list (its filters and
    page are in the query string) comes back with what happened."""
    form = BulkDecisionForm(request.POST, auto_id="lot_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = services.requests_decide(
                requests=data["requests"],
                action=data["action"],
                by=request.user,
                sent_on=data["sent_on"],
                reason=data["reason"],
            )
        except services.RequestError as error:
            _add_error(form, error)
        else:
            count = len(done)
            several = count > 1
            messages.success(
                request,
                f"{count} demande{'s' if several else ''} {DONE[data['action']][several]} : "
                f"{'les personnes sont prévenues' if several else 'la personne est prévenue'} "
                "par e-mail.",
            )
            url = reverse("resource_requests")
            return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    return _list_page(request, form)


@requires(MANAGE)
def request_detail(request, pk):
    """A request's page: who asked what, where to send it, its history, and the team's step."""
    asked = selectors.request_for_team(pk)
    if asked is None:
        raise Http404("Demande introuvable")
    form = DecisionForm(
        _posted(request), initial={"sent_on": timezone.localdate()}, auto_id="decision_%s"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_decide(
                request=asked,
                action=data["action"],
                by=request.user,
                sent_on=data["sent_on"],
                reason=data["reason"],
            )
        except services.RequestError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                f"La demande est {DONE[data['action']][0]} : la personne est prévenue par e-mail.",
            )
            return redirect("resource_request", pk=asked.pk)
    return render(
        request,
        "resources/requests/detail.html",
        {
            "asked": asked,
            "form": form if asked.is_open else None,
        },
    )


@requires(MANAGE)
@require_safe
def request_export(request, file_format):
    """The list as it is filtered, as a CSV or an Excel file."""
    if file_format not in request_exports.CONTENT_TYPES:
        raise Http404("Format d’export inconnu")
    _, requests = _filtered(request)
    if file_format == "csv":
        content = request_exports.requests_csv(requests)
    else:
        content = request_exports.requests_xlsx(requests)
    response = HttpResponse(content, content_type=request_exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=request_exports.export_filename(file_format)
    )
    return response


urlpatterns = [
    path("<int:pk>/demander/", request_create, name="resource_request_create"),
    path("demandes/", request_list, name="resource_requests"),
    path("demandes/traiter/", request_bulk, name="resource_requests_bulk"),
    path(
        "demandes/export.<str:file_format>",
        request_export,
        name="resource_requests_export",
    ),
    path("demandes/mes-demandes/", my_requests, name="my_resource_requests"),
    path("demandes/<int:pk>/", request_detail, name="resource_request"),
    path("demandes/<int:pk>/retirer/", request_withdraw, name="resource_request_withdraw"),
]
