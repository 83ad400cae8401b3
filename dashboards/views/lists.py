"""The lists behind the dashboard's figures that no other page shows: the arrivals and
departures of a period (`/tableau-de-bord/mouvements/`), for the team (`dashboard.lists`):
listed by dates, they would give a partner the small numbers its dashboard hides."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.urls import path

from coordinators.models import Scheme, Tenure
from core.permissions import requires

from ..forms import read_filters
from ..indicators.register import scheme_filter

PAGE_SIZE = 50


def movements_in(context, kind):
    """Tenures that started (`arrivals`) or ended (`departures`) in the period, in the scope
    (any of their post's schemes), most recent first, with their schemes for display."""
    period, scope = context.period, context.scope
    day = "started_on" if kind == "arrivals" else "ended_on"
    in_scope = Scheme.objects.filter(scheme_filter(scope)).values("pk")
    tenures = (
        Tenure.objects.filter(**{f"{day}__range": (period.start, period.end)})
        .filter(Q(post__schemes__in=in_scope))
        .distinct()
        .select_related("person", "post")
        .prefetch_related(
            Prefetch(
                "post__schemes",
                queryset=Scheme.objects.select_related("department").order_by("name"),
            )
        )
        .order_by(f"-{day}", "pk")
    )
    return tenures


@requires("dashboard.lists")
def movements(request):
    filters = read_filters(request)
    kind = "departures" if request.GET.get("sens") == "departs" else "arrivals"
    page = None
    if filters.context:
        tenures = movements_in(filters.context, kind)
        page = Paginator(tenures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sens", None)
    return render(
        request,
        "dashboards/movements.html",
        {
            "filters": filters,
            "context": filters.context,
            "kind": kind,
            "page": page,
            "query": query.urlencode(),
        },
    )


urlpatterns = [
    path("mouvements/", movements, name="dashboard_movements"),
]
