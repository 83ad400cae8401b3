"""Requests for the Boussole (issue #13, `data/resource_requests.yaml`): La boussole (created by
the catalogue) becomes distributed on request, and 35 coordinators in post asked for it over the
last months, through the requests' services, dated as they happened, e-mailing nobody: most were
sent, some refused with a reason, one withdrawn, some accepted and the newest waiting. Julien
Moreau's copies were sent; Awa has none (she asks on the demo). Seeding again changes nothing:
once La boussole has requests, none is added."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from coordinators.selectors import tenures_in_post
from resources.models import Resource
from resources.models.requests import ResourceRequest
from resources.selectors.requests import address_prefill
from resources.services import requests as services
from resources.services import resource_save

from . import loaders

BOUSSOLE = "La boussole"


@loaders.record
class JulienData:
    quantity: int
    message: str
    asked_days: int
    sent_days: int


@loaders.record
class RequestsData:
    count: int
    oldest_days: int
    newest_days: int
    states: dict[str, int]
    digital_every: int
    quantities: list[int]
    answered_after_days: int
    sent_after_days: int
    streets: list[str]
    messages: list[str]
    refusal_reasons: list[str]
    julien: JulienData


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _person(key):
    return User.objects.get(email=loaders.accounts().account(key).email)


def _requesters(count, today, demo):
    """`count` coordinators in post today (not the demo accounts), spread over the register
    (every n-th by name, so that every département asks)."""
    in_post = set(tenures_in_post(today).values_list("person_id", flat=True)) - demo
    people = list(
        User.objects.filter(pk__in=in_post, coordinator_profile__status="approved").order_by(
            "last_name", "first_name", "pk"
        )
    )
    step = max(1, len(people) // count)
    return people[::step][:count]


def _ask(data, boussole, person, i, asked_on, *, quantity=None, message=None):
    digital = quantity is None and i % data.digital_every == data.digital_every - 1
    address = {}
    if not digital:
        prefill = address_prefill(person)
        address = {
            "recipient": prefill["recipient"],
            "structure": prefill.get("structure", ""),
            "street": data.streets[i % len(data.streets)],
            "postcode": prefill.get("postcode") or "75004",
            "city": prefill.get("city") or "Paris",
        }
    return services.request_create(
        resource=boussole,
        requester=person,
        format="digital" if digital else "printed",
        quantity=None if digital else quantity or data.quantities[i % len(data.quantities)],
        message=data.messages[i % len(data.messages)] if message is None else message,
        asked_at=_at(asked_on, 9 + i % 8),
        notify=False,
        **address,
    )


def _decide(request, action, by, on, today, **fields):
    on = min(on, today)
    return services.request_decide(
        request=request, action=action, by=by, now=_at(on, 15), today=today, notify=False, **fields
    )


def seed_resource_requests(today=None):
    """Idempotent; returns the figures `seed_demo` prints."""
    today = today or date.today()
    data = loaders.read_yaml("resource_requests.yaml", RequestsData)
    boussole = Resource.objects.filter(title__startswith=BOUSSOLE).order_by("pk").first()
    if boussole is None:
        return {}
    if not boussole.on_request:
        boussole.on_request = True
        resource_save(
            resource=boussole,
            competencies=boussole.competencies.all(),
            topics=boussole.topics.all(),
        )
    if not ResourceRequest.objects.filter(resource=boussole).exists():
        _seed(data, boussole, today)
    return counts(boussole)


def _seed(data, boussole, today):
    staff = _person("staff")
    julien, awa = _person("experienced"), _person("newcomer")
    people = _requesters(data.count - 1, today, {julien.pk, awa.pk})
    mine = data.julien
    request = _ask(
        data,
        boussole,
        julien,
        0,
        today - timedelta(days=mine.asked_days),
        quantity=mine.quantity,
        message=mine.message,
    )
    sent_on = today - timedelta(days=mine.sent_days)
    _decide(request, services.SEND, staff, sent_on, today, sent_on=sent_on)
    span = data.oldest_days - data.newest_days
    outcomes = _outcomes(data.states)
    outcomes.remove("sent")  # Julien's
    reasons = iter(data.refusal_reasons * len(people))
    for i, person in enumerate(people, start=1):
        asked_on = today - timedelta(days=data.oldest_days - span * (i - 1) // len(people))
        request = _ask(data, boussole, person, i, asked_on)
        outcome = outcomes[i - 1] if i - 1 < len(outcomes) else "asked"
        answered = asked_on + timedelta(days=data.answered_after_days)
        if outcome == "withdrawn":
            services.request_withdraw(request=request, person=person, now=_at(answered, 11))
        elif outcome == "refused":
            _decide(request, services.REFUSE, staff, answered, today, reason=next(reasons))
        elif outcome in ("accepted", "sent"):
            request = _decide(request, services.ACCEPT, staff, answered, today)
            if outcome == "sent":
                sent = min(asked_on + timedelta(days=data.sent_after_days), today)
                _decide(request, services.SEND, staff, sent, today, sent_on=sent)


def _outcomes(states):
    """The outcomes from the oldest request to the newest: the ended ones (sent, refused,
    withdrawn) in turn, then the accepted ones (to send)."""
    left = {state: n for state, n in states.items() if state != "accepted"}
    ended = []
    while any(left.values()):
        for state in left:
            if left[state]:
                ended.append(state)
                left[state] -= 1
    return ended + ["accepted"] * states.get("accepted", 0)


def counts(boussole):
    states = ResourceRequest.objects.filter(resource=boussole)
    total = states.count()
    return {
        "demandes de documents": total,
        "demandes de documents en attente": states.filter(state="asked").count(),
        "demandes de documents envoyées": states.filter(state="sent").count(),
    }
