from django.shortcuts import render

from coordinators import selectors
from core.permissions import requires


@requires("dashboard.view")
def dashboard(request):
    departments = list(selectors.territory_summary(request.access))
    regional = selectors.regional_totals()
    return render(
        request,
        "coordinators/dashboard.html",
        {
            "departments": departments,
            "totals": selectors.territory_totals(departments),
            "regional": regional,
            "whole_region": len(departments) == regional["all_departments"],
        },
    )
