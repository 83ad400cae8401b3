from django.shortcuts import render

from accounts.access import requires

from . import selectors


@requires("dashboard.view")
def dashboard(request):
    departments = list(selectors.territory_summary(request.access))
    regional = selectors.regional_totals()
    return render(
        request,
        "coordinators/dashboard.html",
        {
            "departments": departments,
            "regional": regional,
            "whole_region": len(departments) == regional["all_departments"],
        },
    )
