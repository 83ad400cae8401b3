"""What the weekly digest ("Lettre de la semaine") tells each coordinator, built for any number
of people in a fixed number of queries (`weekly_digests`): the new resources they may read, the
new posts of the news board that concern them, the upcoming events they may register to and
have not, and the new questions of peers on what they offer."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Max, Min, Q

from accounts.access import Access, Role
from agenda.models import Event, Registration
from agenda.services import PRIVATE_KINDS
from coordinators.models import CoordinatorProfile, Scheme, Tenure
from coordinators.selectors import NEWCOMER_DAYS, schemes_due_for_renewal
from notifications.models import Category, Delivery, Preference
from resources.selectors.library import new_for

from ..models import PeerProfile
from ..models.news import NewsPost
from ..models.questions import Question
from .news import concerns, department_codes_of, on_board

# What a digest lists at most in each section, and how far ahead it looks for events.
MAX_ITEMS = 8
EVENTS_AHEAD = timedelta(days=28)
# Without a previous digest (or one too old: a person who turned it back on), what is new is
# what came in the last week.
FIRST_WINDOW = timedelta(days=7)
LONGEST_WINDOW = timedelta(days=28)
KEY_PREFIX = "weekly:"
COORDINATOR = Access(Role.COORDINATOR, department_codes=None)


@dataclass
class Digest:
    person: object
    since: object
    resources: list = field(default_factory=list)
    news: list = field(default_factory=list)
    events: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    # Whether something came in since the last digest (the events may all be known already).
    has_news: bool = False

    @property
    def count(self):
        return len(self.resources) + len(self.news) + len(self.events) + len(self.questions)


def digest_readers():
    """The people who get the digest: active approved coordinators who did not turn it off."""
    muted = [  # read in Python: SQLite cannot search a JSON list
        user_id
        for user_id, categories in Preference.objects.exclude(muted=[]).values_list(
            "user_id", "muted"
        )
        if Category.WEEKLY in categories
    ]
    return (
        get_user_model()
        .objects.filter(
            is_active=True, coordinator_profile__status=CoordinatorProfile.Status.APPROVED
        )
        .exclude(pk__in=muted)
        .order_by("pk")
    )


def _since(people, now):
    """{person id: the start of what is new for them}: their previous digest, else a week."""
    previous = dict(
        Delivery.objects.filter(key__startswith=KEY_PREFIX, recipient__in=people)
        .values("recipient_id")
        .annotate(last=Max("created_at"))
        .values_list("recipient_id", "last")
    )
    return {
        person.pk: max(previous.get(person.pk) or now - FIRST_WINDOW, now - LONGEST_WINDOW)
        for person in people
    }


def _event_rule_facts(person_ids, today):
    """What `agenda.services.registration_refusal` asks of a person, for many at once:
    {person id: départements of their open posts and of their commune} and {person id:
    audiences}."""
    codes = {}
    for person_id, code in Tenure.objects.filter(
        person_id__in=person_ids, ended_on__isnull=True
    ).values_list("person_id", "post__schemes__department__code"):
        if code:
            codes.setdefault(person_id, set()).add(code)
    for person_id, code in CoordinatorProfile.objects.filter(
        user_id__in=person_ids, commune__isnull=False
    ).values_list("user_id", "commune__department__code"):
        codes.setdefault(person_id, set()).add(code)
    audiences = {pk: {Event.Audience.ALL} for pk in person_ids}
    firsts = (
        Tenure.objects.filter(person_id__in=person_ids, started_on__lte=today)
        .values("person_id")
        .annotate(first=Min("started_on"))
        .values_list("person_id", "first")
    )
    for person_id, first in firsts:
        if (today - first).days < NEWCOMER_DAYS:
            audiences[person_id].add(Event.Audience.NEWCOMERS)
    renewing = schemes_due_for_renewal(12, today).filter(
        kind=Scheme.Kind.CLS,
        posts__tenures__person_id__in=person_ids,
        posts__tenures__ended_on__isnull=True,
    )
    for person_id in renewing.values_list("posts__tenures__person_id", flat=True):
        audiences[person_id].add(Event.Audience.CLS_RENEWAL)
    return codes, audiences


def _open_events(now):
    """Upcoming events of the next weeks whose registration is open now."""
    return list(
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            starts_at__gt=now,
            starts_at__lte=now + EVENTS_AHEAD,
        )
        .exclude(kind__in=PRIVATE_KINDS)
        .filter(Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        .filter(Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now))
        .prefetch_related("departments")
        .order_by("starts_at", "pk")
    )


def _may_register(event, codes, audiences):
    """The rule of `registration_refusal`, on facts already read."""
    named = {d.code for d in event.departments.all()}
    if named and not codes & named:
        return False
    return Event.Audience.ALL in event.audiences or bool(audiences & set(event.audiences))


def _question_matches(person_ids, questions):
    """{person id: [question]} of `questions` matching what each person offers, theirs and
    those they answered left out."""
    if not questions:
        return {}
    by_id = {q.pk: q for q in questions}
    tags = {pk: (set(), set()) for pk in by_id}
    for question_id, competency_id in Question.competencies.through.objects.filter(
        question_id__in=by_id
    ).values_list("question_id", "competency_id"):
        tags[question_id][0].add(competency_id)
    for question_id, topic_id in Question.topics.through.objects.filter(
        question_id__in=by_id
    ).values_list("question_id", "topic_id"):
        tags[question_id][1].add(topic_id)
    offers = {}
    links = (
        (PeerProfile.offered_competencies.through, "competency_id", 0),
        (PeerProfile.offered_topics.through, "topic_id", 1),
    )
    for model, column, side in links:
        for person_id, item in model.objects.filter(
            peerprofile__person_id__in=person_ids
        ).values_list("peerprofile__person_id", column):
            offers.setdefault(person_id, (set(), set()))[side].add(item)
    answered = set(
        Question.objects.filter(pk__in=by_id, answers__author_id__in=person_ids).values_list(
            "answers__author_id", "pk"
        )
    )
    matches = {}
    for person_id, (competencies, topics) in offers.items():
        for question in questions:
            q_competencies, q_topics = tags[question.pk]
            if question.author_id == person_id or (person_id, question.pk) in answered:
                continue
            if competencies & q_competencies or topics & q_topics:
                matches.setdefault(person_id, []).append(question)
    return matches


def weekly_digests(people, *, now):
    """{person id: Digest} for `people` (a list of users), in a fixed number of queries."""
    people = list(people)
    if not people:
        return {}
    ids = [person.pk for person in people]
    since = _since(people, now)
    oldest = min(since.values())
    today = now.date()
    # Every coordinator reads the same audiences: one list, cut per person below.
    resources = list(
        new_for(COORDINATOR, oldest).filter(published_at__lte=now).prefetch_related(None)
    )
    posts = list(
        on_board(NewsPost.objects.all(), today)
        .filter(published_at__gt=oldest, published_at__lte=now)
        .select_related("organisation")
        .prefetch_related("departments")
        .order_by("-pinned", "-published_at", "-pk")
    )
    news_codes = department_codes_of(ids) if posts else {}
    events = _open_events(now)
    if events:
        event_codes, audiences = _event_rule_facts(ids, today)
        registered = set(
            Registration.objects.filter(
                event__in=events, person_id__in=ids, status__in=Registration.ACTIVE
            ).values_list("person_id", "event_id")
        )
    questions = list(
        Question.objects.filter(
            created_at__gt=oldest,
            created_at__lte=now,
            closed_at__isnull=True,
            useful_answer__isnull=True,
        )
        .select_related("author")
        .order_by("-created_at", "-pk")
    )
    matches = _question_matches(ids, questions)
    digests = {}
    for person in people:
        start = since[person.pk]
        digest = Digest(person=person, since=start)
        digest.resources = [r for r in resources if r.published_at > start][:MAX_ITEMS]
        codes = news_codes.get(person.pk, set())
        digest.news = [p for p in posts if p.published_at > start and concerns(p, codes)][
            :MAX_ITEMS
        ]
        if events:
            digest.events = [
                e
                for e in events
                if (person.pk, e.pk) not in registered
                and _may_register(e, event_codes.get(person.pk, set()), audiences[person.pk])
            ][:MAX_ITEMS]
        digest.questions = [q for q in matches.get(person.pk, []) if q.created_at > start][
            :MAX_ITEMS
        ]
        digest.has_news = bool(
            digest.resources
            or digest.news
            or digest.questions
            or any(e.created_at > start for e in digest.events)
        )
        digests[person.pk] = digest
    return digests
