"""The peer network: tutoring, newcomers without a tutor, questions to peers, experience notes
and requests for resources (the Boussole). Every function takes a `Period` and a `Scope`, runs
a fixed number of queries, and counts people where `dashboards.indicators.people` places them on
the period's end: a pair by its newcomer, a question or a note by its author, a request by its
requester. Raw counts: small numbers are suppressed by the pages."""

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery

from accounts.models import User
from coordinators.models import Tenure
from coordinators.selectors import add_months, tenures_in_post
from network.models.notes import ExperienceNote
from network.models.questions import Answer, Question
from network.models.tutoring import TutoringPair
from network.selectors.tutoring import NEWCOMER_MONTHS
from resources.models.requests import ResourceRequest

from .people import Split, in_scope, scope_codes, split


def _grouped(queryset, **aggregates):
    return queryset.values("place").annotate(**aggregates).order_by()


def _began():
    return Q(status__in=(TutoringPair.Status.ACTIVE, TutoringPair.Status.ENDED))


def tutoring(period, scope) -> Split:
    """`active`: pairs under way on the period's end (accepted on or before it, not ended by
    it: a pair ended on a day is over that day); `started`: pairs accepted during the period;
    `requested`: requests made during it (whatever became of them)."""
    began = _began()
    rows = _grouped(
        in_scope(TutoringPair.objects.all(), scope, "newcomer", period.end),
        active=Count(
            "pk",
            filter=began
            & Q(started_on__lte=period.end)
            & (Q(ended_on__isnull=True) | Q(ended_on__gt=period.end)),
        ),
        started=Count("pk", filter=began & Q(started_on__range=(period.start, period.end))),
        requested=Count("pk", filter=Q(requested_at__date__range=(period.start, period.end))),
    )
    return split(rows, ("active", "started", "requested"), scope_codes(scope))


def newcomers_without_tutor(period, scope) -> Split:
    """`newcomers`: the people in post on the period's end whose first post began in the 12
    months before it (`tutoring.NEWCOMER_MONTHS`, as the staff's tutoring follow-up counts them)
    and who had no pair under way on that day (accepted by then, not ended by then: a pair
    ended since still counts for a past period)."""
    end = period.end
    tutored = TutoringPair.objects.filter(
        _began(), newcomer=OuterRef("pk"), started_on__lte=end
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end))
    first_post = (
        Tenure.objects.filter(person=OuterRef("pk"))
        .values("person")
        .annotate(first=Min("started_on"))
        .values("first")
    )
    newcomers = (
        User.objects.filter(pk__in=tenures_in_post(end).values("person_id"))
        .exclude(Exists(tutored))
        .annotate(arrived=Subquery(first_post))
        .filter(arrived__gt=add_months(end, -NEWCOMER_MONTHS))
    )
    rows = _grouped(in_scope(newcomers, scope, None, end), newcomers=Count("pk"))
    return split(rows, ("newcomers",), scope_codes(scope))


def questions(period, scope) -> Split:
    """`asked`: questions asked during the period; of them, `answered`: with an answer given by
    its end; `useful`: whose asker marked an answer (given by its end) as the useful one."""
    answered_by_end = Answer.objects.filter(
        question=OuterRef("pk"), created_at__date__lte=period.end
    )
    asked = Question.objects.filter(created_at__date__range=(period.start, period.end)).annotate(
        answered=Exists(answered_by_end)
    )
    rows = _grouped(
        in_scope(asked, scope, "author", period.end),
        asked=Count("pk"),
        answered=Count("pk", filter=Q(answered=True)),
        useful=Count(
            "pk",
            filter=Q(useful_answer__isnull=False, useful_answer__created_at__date__lte=period.end),
        ),
    )
    return split(rows, ("asked", "answered", "useful"), scope_codes(scope))


def notes_published(period, scope) -> Split:
    """`published`: experience notes published during the period (drafts never count);
    `authors`: how many people published them."""
    notes = ExperienceNote.objects.filter(
        status=ExperienceNote.Status.PUBLISHED,
        published_at__date__range=(period.start, period.end),
    )
    rows = _grouped(
        in_scope(notes, scope, "author", period.end),
        published=Count("pk"),
        authors=Count("author", distinct=True),
    )
    return split(rows, ("published", "authors"), scope_codes(scope))


REQUEST_STATES = tuple(ResourceRequest.State.values)


def resource_requests(period, scope) -> Split:
    """Requests for resources distributed on request (the Boussole) made during the period:
    `total`, and how many are now in each state (`asked`, `accepted`, `sent`, `refused`,
    `withdrawn`)."""
    requests = ResourceRequest.objects.filter(asked_at__date__range=(period.start, period.end))
    rows = (
        in_scope(requests, scope, "requester", period.end)
        .values("place")
        .annotate(
            total=Count("pk"),
            **{state: Count("pk", filter=Q(state=state)) for state in REQUEST_STATES},
        )
        .order_by()
    )
    return split(rows, ("total", *REQUEST_STATES), scope_codes(scope))
