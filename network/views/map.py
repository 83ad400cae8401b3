"""The directory's map: /annuaire/carte/, with a commune's panel open when the URL says which
(`insee`), and the directory's filters.

One view: the page (map, list of communes, the open commune's panel), the map alone when htmx
asks after a filter changes (target "carte"), the panel alone after a click on a commune (target
"commune"). Without JavaScript, every commune is a link to the page with its panel open."""

from datetime import date

from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from core.permissions import requires

from .. import selectors, services
from ..forms.map import MapFilterForm, opened_commune
from ..selectors.map import commune_panel, map_communes


@requires("directory.view")
@require_safe
def directory_map(request):
    today = date.today()
    services.directory_sync(today=today)  # as the directory: until the register announces
    communes, intercommunalities = selectors.directory_places(request.access)
    form = MapFilterForm(
        request.GET or None,
        departments=request.access.departments(),
        communes=communes,
        intercommunalities=intercommunalities,
    )
    filters = form.filters()
    query = request.GET.copy()
    for name in ("page", "insee"):
        query.pop(name, None)
    code = opened_commune(request.GET)
    htmx = request.htmx and not request.htmx.history_restore_request
    target = request.htmx.target if htmx else None
    context = {
        "form": form,
        "query": query.urlencode(),
        "today": today,
        "filtered": bool(filters),
        "code": code or "",
        "asked": code != "",
        "panel": commune_panel(request.access, code, filters, today) if code else None,
        "focus_panel": target == "commune",
    }
    if target == "commune":
        response = render(request, "network/map/_commune.html", context)
    else:
        context["map"] = map_communes(request.access, filters, today)
        context["announce"] = target == "carte"
        template = "network/map/_map.html" if target == "carte" else "network/map/map.html"
        response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


urlpatterns = [path("carte/", directory_map, name="directory_map")]
