"""Learning: enrolments in pathways, steps done, completion, time to complete, and the
progression of self-assessments. Every function takes a `Period` and a `Scope` and runs a fixed
number of queries; people count where `dashboards.indicators.people` places them on the
period's end. Raw counts: small numbers are suppressed by the pages, except the
self-assessments' groups under `learning.progress.MIN_GROUP` people, never shown to anyone."""

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from competencies.models import Competency
from learning.models import (
    Enrolment,
    Pathway,
    PathwayStep,
    SelfAssessment,
    SelfAssessmentRating,
    StepCompletion,
)
from learning.progress import MIN_GROUP

from .people import Split, in_scope, scope_codes, split


def _grouped(queryset, **aggregates):
    return queryset.values("place").annotate(**aggregates).order_by()


def enrolments(period, scope) -> Split:
    """`new`: enrolments started in the period; `running`: enrolments not left on its end;
    `left`: enrolments left during it."""
    rows = _grouped(
        in_scope(
            Enrolment.objects.filter(started_at__date__lte=period.end), scope, "person", period.end
        ),
        new=Count("pk", filter=Q(started_at__date__gte=period.start)),
        running=Count("pk", filter=Q(left_at__isnull=True) | Q(left_at__date__gt=period.end)),
        left=Count("pk", filter=Q(left_at__date__range=(period.start, period.end))),
    )
    return split(rows, ("new", "running", "left"), scope_codes(scope))


def steps_done(period, scope) -> Split:
    """`steps`: steps done in the period (any way: attendance, reading, declared, tutoring,
    validated prior learning); `people`: how many people did at least one."""
    completions = StepCompletion.objects.filter(
        completed_at__date__range=(period.start, period.end)
    )
    rows = _grouped(
        in_scope(completions, scope, "enrolment__person", period.end),
        steps=Count("pk"),
        people=Count("enrolment__person", distinct=True),
    )
    return split(rows, ("steps", "people"), scope_codes(scope))


def _required_count():
    return Coalesce(
        Subquery(
            PathwayStep.objects.filter(
                pathway=OuterRef("pathway"), retired_at__isnull=True, is_required=True
            )
            .values("pathway")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _required_done(**filters):
    return StepCompletion.objects.filter(
        enrolment=OuterRef("pk"), step__retired_at__isnull=True, step__is_required=True, **filters
    ).values("enrolment")


@dataclass
class PathwayCompletion:
    pathway: Pathway
    figures: Split  # `enrolments`, `completed`


def completion(period, scope) -> list:
    """Per pathway, [PathwayCompletion]: the enrolments started in the period (`enrolments`)
    and those of them whose current required steps were all done by the period's end
    (`completed`), as `learning.progress.pathways_figures` counts a finished pathway. Pathways
    without an enrolment in the period are left out. Three queries."""
    done = _required_done(completed_at__date__lte=period.end).annotate(n=Count("pk")).values("n")
    enrolled = Enrolment.objects.filter(
        started_at__date__range=(period.start, period.end)
    ).annotate(done=Coalesce(Subquery(done), 0), required=_required_count())
    # Read row by row and added up here: in SQL the counts would run the subqueries again.
    sums = {}
    for pathway, place, done, required in in_scope(
        enrolled, scope, "person", period.end
    ).values_list("pathway", "place", "done", "required"):
        row = sums.setdefault((pathway, place), {"place": place, "enrolments": 0, "completed": 0})
        row["enrolments"] += 1
        row["completed"] += done >= required
    by_pathway = {}
    for (pathway, _place), row in sums.items():
        by_pathway.setdefault(pathway, []).append(row)
    codes = scope_codes(scope)
    return [
        PathwayCompletion(
            pathway, split(by_pathway[pathway.pk], ("enrolments", "completed"), codes)
        )
        for pathway in Pathway.objects.filter(pk__in=list(by_pathway))
    ]


@dataclass
class Medians:
    """Median days from joining a pathway to its last required step, for the enrolments
    completed in the period: over the scope, per département and per pathway (id), each with
    how many completions it is the median of. None where nothing was completed."""

    total: int | None
    count: int
    departments: dict = field(default_factory=dict)  # code → (median, count)
    pathways: dict = field(default_factory=dict)  # pathway id → (median, count)


def _median(days):
    # The lower middle value for an even count: always a duration someone really took.
    return statistics.median_low(days) if days else None


def median_time_to_complete(period, scope) -> Medians:
    """An enrolment is completed on the day of its last current required step, once they are
    all done (a pathway without required step is never counted); the median is the lower
    middle (`statistics.median_low`) of the days between joining and that day (0 when the
    steps were done before joining, as joining completes what the person already did). Two
    queries: the values are read in one, the medians computed from them."""
    done = _required_done().annotate(n=Count("pk")).values("n")
    last = _required_done().annotate(last=Max("completed_at")).values("last")
    finished = Enrolment.objects.annotate(
        done=Coalesce(Subquery(done), 0),
        required=_required_count(),
        finished_at=Subquery(last),
    ).filter(finished_at__date__range=(period.start, period.end))
    rows = in_scope(finished, scope, "person", period.end).values_list(
        "pathway_id", "place", "started_at", "finished_at", "done", "required"
    )
    everyone, departments, pathways = [], {code: [] for code in scope_codes(scope)}, {}
    for pathway_id, place, started_at, finished_at, done, required in rows:
        if not 0 < required <= done:  # checked here: in SQL the subqueries would run again
            continue
        days = max(0, (timezone.localdate(finished_at) - timezone.localdate(started_at)).days)
        everyone.append(days)
        departments.setdefault(place, []).append(days)
        pathways.setdefault(pathway_id, []).append(days)
    return Medians(
        total=_median(everyone),
        count=len(everyone),
        departments={code: (_median(d), len(d)) for code, d in departments.items()},
        pathways={pk: (_median(d), len(d)) for pk, d in pathways.items()},
    )


# --- Self-assessments -----------------------------------------------------------------------


@dataclass
class Progression:
    """A competency's first and latest self-assessed levels. Each figure (for the scope, and
    per département) is a dict: `people`, and, only for `MIN_GROUP` people or more, `first`
    and `latest` (average levels, one decimal), `improved`, `same`, `lower` (how many rate
    themselves higher, the same, lower); for fewer people these are None."""

    competency: Competency
    total: dict
    departments: dict = field(default_factory=dict)


PROGRESSION_SUMS = ("people", "first_sum", "latest_sum", "improved", "same", "lower")
ZERO_SUMS = dict.fromkeys(PROGRESSION_SUMS, 0)


def _progression_figures(sums):
    people = sums["people"]
    if people < MIN_GROUP:
        return {"people": people, **dict.fromkeys(("first", "latest", "improved", "same", "lower"))}
    return {
        "people": people,
        "first": round(sums["first_sum"] / people, 1),
        "latest": round(sums["latest_sum"] / people, 1),
        "improved": sums["improved"],
        "same": sums["same"],
        "lower": sums["lower"],
    }


def assessment_progression(period, scope) -> list:
    """Per active competency, [Progression] of the people who assessed themselves at least
    twice by the period's end, their latest assessment (up to the end) falling in the period:
    their first level for the competency (from the earliest earlier assessment rating it)
    against their latest. Groups of fewer than `MIN_GROUP` people (`learning.progress`, the
    rule of its aggregates) show their size only, to every reader. Four queries."""
    ranked = SelfAssessment.objects.filter(created_at__date__lte=period.end).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("person_id")],
            order_by=[F("created_at").desc(), F("pk").desc()],
        ),
        assessments=Window(Count("pk"), partition_by=[F("person_id")]),
    )
    latest_ids = [
        pk
        for pk, created_at in ranked.filter(rank=1, assessments__gte=2).values_list(
            "pk", "created_at"
        )
        if timezone.localdate(created_at) >= period.start
    ]
    first_level = (
        SelfAssessmentRating.objects.filter(
            assessment__person=OuterRef("assessment__person"),
            competency=OuterRef("competency"),
            assessment__created_at__lt=OuterRef("assessment__created_at"),
        )
        .order_by("assessment__created_at", "assessment_id")
        .values("level")[:1]
    )
    ratings = SelfAssessmentRating.objects.filter(assessment_id__in=latest_ids).annotate(
        first=Subquery(first_level)
    )
    # Read row by row and added up here: in SQL each sum would run the first level's
    # subquery again.
    sums = {}
    for competency, place, latest, first in in_scope(
        ratings, scope, "assessment__person", period.end
    ).values_list("competency", "place", "level", "first"):
        if first is None:  # not rated in an earlier assessment
            continue
        row = sums.setdefault((competency, place), {"place": place, **ZERO_SUMS})
        row["people"] += 1
        row["first_sum"] += first
        row["latest_sum"] += latest
        row["improved" if latest > first else "same" if latest == first else "lower"] += 1
    by_competency = {}
    for (competency, _place), row in sums.items():
        by_competency.setdefault(competency, []).append(row)
    codes = scope_codes(scope)
    result = []
    for competency in Competency.objects.filter(is_active=True).select_related("domain"):
        sums = split(by_competency.get(competency.pk, []), PROGRESSION_SUMS, codes)
        result.append(
            Progression(
                competency,
                _progression_figures(sums.total),
                {code: _progression_figures(s) for code, s in sums.departments.items()},
            )
        )
    return result
