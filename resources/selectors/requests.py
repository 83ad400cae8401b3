"""Reads on requests for resources distributed on request (the Boussole).

The resource's page shows `resource_page_block`. Asking is for copies: printed, or the file sent
by the team; reading the resource on the platform follows its audience, as any other (a newcomer
reads the Boussole the day they arrive). The team's list annotates each request with the
département and scheme type of its requester's post today
(`coordinators.selectors.tenures_in_post`; else the département of their profile's commune),
and counts by state, département and scheme type in SQL aggregates."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from coordinators.models import CoordinatorProfile, Scheme
from coordinators.selectors import CURRENT_SCHEMES, tenures_in_post
from territories.models import Department

from ..forms.requests import ResourceRequestForm
from ..models.requests import ResourceRequest

State = ResourceRequest.State
Format = ResourceRequest.Format
MANAGE = "resources.requests_manage"
NO_SCHEME = "Sans poste en cours"


@dataclass
class RequestBlock:
    """What the resource's page shows of requests (`_block.html`)."""

    resource: object
    mine: ResourceRequest | None = None  # the person's latest request
    form: ResourceRequestForm | None = None  # to ask (again)
    can_manage: bool = False
    counts: dict = field(default_factory=dict)  # the team's: requests of it by state
    team_email: str = ""


def resource_page_block(resource, *, access, person):
    """What the resource's page shows of requests (the person's request and its state, or the
    form to ask; counts for the team), or None when the resource is not on request. Rendered by
    `templates/resources/requests/_block.html` with the name `block`. A fixed number of queries
    whatever the number of requests."""
    if not resource.on_request:
        return None
    block = RequestBlock(resource=resource, team_email=settings.TEAM_EMAIL)
    if access.can(MANAGE):
        block.can_manage = True
        block.counts = state_counts(ResourceRequest.objects.filter(resource=resource))
        return block
    if not access.can("resources.request"):
        return block
    block.mine = (
        ResourceRequest.objects.filter(resource=resource, requester=person)
        .select_related("decided_by")
        .order_by("-asked_at", "-pk")
        .first()
    )
    mine = block.mine
    if mine is None or not mine.is_open:
        block.form = ResourceRequestForm(
            initial=address_prefill(person), auto_id="demande_%s", resource=resource
        )
    return block


def address_prefill(person) -> dict:
    """A delivery address to start from: the person's name and, from the carrier of the scheme
    they work for (else their profile's commune), the structure, postcode and commune (two
    queries at most)."""
    initial = {"recipient": person.get_full_name(), "format": Format.PRINTED, "quantity": 1}
    scheme = (
        Scheme.objects.filter(
            posts__tenures__in=tenures_in_post().filter(person=person),
            status__in=CURRENT_SCHEMES,
        )
        .order_by("pk")
        .values("carrier_name", "department__code")
        .first()
    )
    profile = (
        CoordinatorProfile.objects.filter(user=person)
        .values("employer", "commune__name", "commune__postal_codes")
        .first()
    )
    structure = (scheme or {}).get("carrier_name") or (profile or {}).get("employer", "")
    initial["structure"] = structure
    if profile and profile["commune__name"]:
        initial["city"] = profile["commune__name"]
        codes = (profile["commune__postal_codes"] or "").split()
        initial["postcode"] = codes[0] if codes else ""
    return initial


def state_counts(requests) -> dict:
    """{state: count} of `requests`, every state present, and "total" (one query)."""
    counts = requests.aggregate(
        total=Count("pk"), **{state: Count("pk", filter=Q(state=state)) for state in State.values}
    )
    return counts


def _place_of_requester():
    """The scheme (of the requester's post today) a request counts for: the first by
    département code, type and id, so that département and type come from the same one."""
    return Scheme.objects.filter(
        posts__tenures__person=OuterRef("requester_id"),
        posts__tenures__in=tenures_in_post(),
        status__in=CURRENT_SCHEMES,
    ).order_by("department__code", "kind", "pk")


def requests_for_team():
    """Every request, newest first, each with `department_code` (of the requester's post
    today, else of their profile's commune; None when neither) and `scheme_kind` (None without a
    post), its resource and requester, one query for any number."""
    place = _place_of_requester()
    return (
        ResourceRequest.objects.select_related("resource", "requester", "decided_by")
        .annotate(
            department_code=Coalesce(
                Subquery(place.values("department__code")[:1]),
                "requester__coordinator_profile__commune__department__code",
            ),
            scheme_kind=Subquery(place.values("kind")[:1]),
        )
        .order_by("-asked_at", "-pk")
    )


@dataclass
class TeamCounts:
    states: dict
    departments: list  # [(label, count)], by code, "—" (unknown) last
    scheme_kinds: list  # [(label, count)]


def team_counts(requests) -> TeamCounts:
    """Counts of an (annotated, possibly filtered) list by state, département and scheme type:
    three aggregate queries and one for the départements' names."""
    plain = requests.order_by()
    states = state_counts(plain)
    by_department = {
        row["department_code"]: row["n"]
        for row in plain.values("department_code").annotate(n=Count("pk"))
    }
    names = dict(
        Department.objects.filter(code__in=[c for c in by_department if c]).values_list(
            "code", "name"
        )
    )
    departments = [
        (f"{names.get(code, code)} ({code})", by_department[code])
        for code in sorted(c for c in by_department if c)
    ]
    if None in by_department:
        departments.append(("Département inconnu", by_department[None]))
    by_kind = {
        row["scheme_kind"]: row["n"] for row in plain.values("scheme_kind").annotate(n=Count("pk"))
    }
    kinds = [(label, by_kind[kind]) for kind, label in Scheme.Kind.choices if kind in by_kind]
    if None in by_kind:
        kinds.append((NO_SCHEME, by_kind[None]))
    return TeamCounts(states=states, departments=departments, scheme_kinds=kinds)


def request_for_team(pk):
    """One request as the team's page shows it (annotated as in the list), or None."""
    return requests_for_team().filter(pk=pk).first()


def my_requests(person):
    """A person's requests, newest first, with their resource (one query)."""
    return (
        ResourceRequest.objects.filter(requester=person)
        .select_related("resource")
        .order_by("-asked_at", "-pk")
    )


def staff_summary() -> dict:
    """For the team's index (/gestion/): requests by state, "total" included (one query)."""
    return state_counts(ResourceRequest.objects.all())
