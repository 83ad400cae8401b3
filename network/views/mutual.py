"""/entraide/: what the network offers between peers, for each role what it may use."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from core.permissions import requires


@requires("mutual_help.view")
@require_safe
def mutual_help(request):
    return render(request, "network/mutual_help.html")


urlpatterns = [path("", mutual_help, name="mutual_help")]
