"""`/tableau-de-bord/`: the sections of `dashboards.sections` for the reader's territory and the
filters of the URL."""

from django.shortcuts import render
from django.urls import path

from core.permissions import requires

from ..forms import read_filters
from ..sections import build_sections


@requires("dashboard.view")
def dashboard(request):
    filters = read_filters(request)
    sections = build_sections(filters.context) if filters.context else []
    return render(
        request,
        "dashboards/dashboard.html",
        {"filters": filters, "context": filters.context, "sections": sections},
    )


urlpatterns = [
    path("", dashboard, name="dashboard"),
]
