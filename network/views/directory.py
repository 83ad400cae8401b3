"""The directory: /annuaire/. The page and its list are one view: htmx asks for the list alone."""

from datetime import date

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from core.permissions import requires

from .. import selectors, services
from ..forms import DirectoryFilterForm

PAGE_SIZE = 20


@requires("directory.view")
@require_safe
def directory(request):
    today = date.today()
    services.directory_sync(today=today)  # until the register announces its changes
    communes, intercommunalities = selectors.directory_places(request.access)
    form = DirectoryFilterForm(
        request.GET or None,
        departments=request.access.departments(),
        communes=communes,
        intercommunalities=intercommunalities,
    )
    entries = selectors.directory_entries(request.access, form.filters(), today)
    page = Paginator(selectors.directory_cards(entries), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_peer_offers(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "today": today}
    if request.htmx and not request.htmx.history_restore_request:
        context["announce"] = True  # the count, read out by screen readers
        response = render(request, "network/_directory_results.html", context)
    else:
        response = render(request, "network/directory.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


urlpatterns = [path("", directory, name="directory")]
