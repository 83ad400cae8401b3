"""The peer network: tutoring, newcomers without a tutor, questions to peers, experience notes
and requests for resources (the Boussole). Every function takes a `Period` and a `Scope`, runs
a fixed number of queries, and counts people where `dashboards.indicators.people` places them on
the period's end: a pair by its newcomer, a question or a note by its author, a request by its
requester. Raw counts: small numbers are suppressed by the pages."""

from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import User
from network.models.notes import ExperienceNote
from network.models.questions import Answer, Question
from network.models.tutoring import TutoringPair
from network.selectors.tutoring import tutoring_overview
from resources.models.requests import ResourceRequest

from .people import Split, in_scope, scope_codes, split


def _grouped(queryset, **aggregates):
    return queryset.values("place").annotate(**aggregates).order_by()


def tutoring(period, scope) -> Split:
    """`active`: pairs under way on the period's end (accepted on or before it, not ended by
    it: a pair ended on a day is over that day); `started`: pairs accepted during the period;
    `requested`: requests made during it (whatever became of them)."""
    began = Q(status__in=(TutoringPair.Status.ACTIVE, TutoringPair.Status.ENDED))
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
    months before it and who have no tutor, as the staff's tutoring follow-up counts them
    (`network.selectors.tutoring.tutoring_overview`, run on the period's end). That selector
    reads whether a pair is active today: for a period ended in the past, a newcomer who found
    a tutor since is not counted."""
    overview = tutoring_overview(period.end)
    ids = [person.pk for person, _arrived, _request in overview.without_tutor]
    rows = _grouped(
        in_scope(User.objects.filter(pk__in=ids), scope, None, period.end),
        newcomers=Count("pk"),
    )
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
