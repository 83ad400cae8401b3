"""`/tableau-de-bord/besoins/`: what coordinators say they need, counted for the reader's
territory, with the texts for the team only; `/tableau-de-bord/besoins-et-offre/`: needs
against the offer, per département and competency. Both read the dashboard's filters."""

from django.shortcuts import render
from django.urls import path

from core.permissions import requires
from core.search import MAX_SEARCH_LENGTH

from ..forms import read_filters
from ..sections import needs as section


@requires("dashboard.view")
def dashboard_needs(request):
    filters = read_filters(request)
    context = filters.context
    found = texts = None
    search = request.GET.get("q", "")[:MAX_SEARCH_LENGTH].strip()
    if context:
        found = section.build(context)
        found.links = [link for link in found.links if not link[1].startswith(request.path)]
        if request.access.can("needs.texts"):
            texts = section.needs_texts(context, search=search, page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    without_search = query.copy()
    without_search.pop("q", None)
    return render(
        request,
        "dashboards/needs.html",
        {
            "filters": filters,
            "context": context,
            "section": found,
            "texts": texts,
            "page": texts.page if texts else None,
            "query": query.urlencode(),
            "without_search": without_search.urlencode(),
            "search": search,
        },
    )


@requires("dashboard.view")
def dashboard_needs_offer(request):
    filters = read_filters(request)
    context = filters.context
    return render(
        request,
        "dashboards/needs_offer.html",
        {
            "filters": filters,
            "context": context,
            "found": section.needs_against_offer(context) if context else None,
        },
    )


urlpatterns = [
    path("besoins/", dashboard_needs, name="dashboard_needs"),
    path("besoins-et-offre/", dashboard_needs_offer, name="dashboard_needs_offer"),
]
