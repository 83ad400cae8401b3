from django.shortcuts import render

from accounts.access import requires

from . import selectors


@requires("dashboard.view")
def dashboard(request):
    access = request.access
    return render(
        request,
        "coordinators/dashboard.html",
        {
            "departments": selectors.territory_summary(access),
            "regional": selectors.regional_totals(),
        },
    )
