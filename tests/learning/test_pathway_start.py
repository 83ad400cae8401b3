"""A pathway always gives a newcomer something to do (issue 11, #5): a session never locks the
steps after it, staff are warned when a pathway would leave a newcomer waiting, and a tutoring
step says how to ask the team for a tutor. Free texts go through bounded forms (#17)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from learning import pathways, progress
from learning.models import PathwayStep, PriorLearningRequest, StepCompletion
from learning.pathways import MAX_TEXT, PathwayError
from tests.factories import EventFactory, in_days
from tests.helpers import login

from .pathway_factories import OfferFactory, PathwayFactory, PathwayStepFactory, ResourceFactory

pytestmark = pytest.mark.django_db

REFLECTION = "J'ai présenté le diagnostic local à ma directrice et à l'élue."


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def welcome_offer(db):
    offer = OfferFactory(title="Journée d'accueil")
    EventFactory(offer=offer, title="Journée d'accueil de janvier", starts_at=in_days(42))
    return offer


@pytest.fixture
def newcomers(welcome_offer):
    """Ordered, as the demo's: 1. the welcome day (six weeks away), 2. read the compass,
    3. a webinar, 4. an optional tutoring, 5. present one's diagnostic."""
    pathway = PathwayFactory(title="Nouveaux coordinateurs", is_ordered=True)
    kinds = [
        ("event", {"offer": welcome_offer}),
        ("resource", {"resource": ResourceFactory(title="La boussole")}),
        ("event", {"offer": OfferFactory(title="Webinaires")}),
        ("tutoring", {"is_required": False}),
        ("activity", {}),
    ]
    for position, (kind, fields) in enumerate(kinds, start=1):
        PathwayStepFactory(
            pathway=pathway, position=position, kind=kind, title=f"Étape {position}", **fields
        )
    return pathway


def states(enrolment):
    return {s.step.position: s for s in progress.step_states(enrolment).values()}


def test_a_newcomer_can_start_before_the_welcome_day(newcomers, coordinator):
    enrolment = pathways.pathway_join(pathway=newcomers, person=coordinator)
    found = states(enrolment)
    # Before: every step waited for the welcome day, six weeks away.
    assert not found[1].locked and not found[2].locked
    # A session never locks what follows: the webinar waits for the reading, not the day.
    assert found[3].locked_by.position == 2
    assert found[5].locked_by.position == 2
    assert progress.pathway_start_warning(newcomers) is None

    pathways.resource_read(resource=found[2].step.resource, person=coordinator)
    found = states(enrolment)
    assert not any(s.locked for s in found.values())
    assert not found[1].done  # the welcome day is still to attend
    pathways.step_declare(enrolment=enrolment, step=found[5].step, reflection=REFLECTION)


def test_readings_and_activities_keep_their_order(coordinator):
    pathway = PathwayFactory(is_ordered=True)
    first = PathwayStepFactory(pathway=pathway, position=1, title="Rencontrer sa hiérarchie")
    second = PathwayStepFactory(pathway=pathway, position=2, title="Présenter son diagnostic")
    enrolment = pathways.pathway_join(pathway=pathway, person=coordinator)
    with pytest.raises(PathwayError, match="s'ouvre après « Rencontrer sa hiérarchie »"):
        pathways.step_declare(enrolment=enrolment, step=second, reflection=REFLECTION)
    pathways.step_declare(enrolment=enrolment, step=first, reflection=REFLECTION)
    pathways.step_declare(enrolment=enrolment, step=second, reflection=REFLECTION)


def test_staff_are_warned_when_a_newcomer_would_have_nothing_to_do(
    client, staff, newcomers, welcome_offer
):
    # Only sessions open at once, the first one six weeks away: nothing to do meanwhile.
    reading = newcomers.steps.get(position=2)
    waiting = PathwayStep.objects.filter(pathway=newcomers, position__gt=1)
    waiting.update(unlock_after=newcomers.steps.get(position=1))
    warning = progress.pathway_start_warning(newcomers)
    assert "n'aurait rien à faire" in warning and "la prochaine est le" in warning

    login(client, staff)
    html = client.get(reverse("pathway", args=[newcomers.pk])).content.decode()
    assert "Rien à faire dès l'inscription." in html

    # Saving a step that keeps it so says it again; opening the reading at once settles it.
    url = reverse("step_edit", args=[reading.pk])
    data = {"kind": "resource", "title": reading.title, "resource": reading.resource_id}
    data |= {"is_required": "on", "unlock_after": newcomers.steps.get(position=1).pk}
    response = client.post(url, data)
    assert any("n'aurait rien à faire" in m for m in flashed(response))
    client.get(reverse("pathways"))  # the messages above are shown
    data["unlock_after"] = ""
    response = client.post(url, data)
    assert not any("n'aurait rien à faire" in m for m in flashed(response))
    assert progress.pathway_start_warning(newcomers) is None


def test_a_session_within_two_weeks_is_something_to_do(welcome_offer):
    pathway = PathwayFactory()
    PathwayStepFactory(pathway=pathway, kind="event", offer=welcome_offer)
    assert progress.pathway_start_warning(pathway) is not None  # six weeks away
    EventFactory(offer=welcome_offer, starts_at=in_days(5))
    assert progress.pathway_start_warning(pathway) is None


def test_a_tutoring_step_leads_to_the_tutoring_page(client, newcomers, coordinator):
    pathways.pathway_join(pathway=newcomers, person=coordinator)
    pathways.resource_read(resource=newcomers.steps.get(position=2).resource, person=coordinator)
    login(client, coordinator)
    html = client.get(reverse("pathway", args=[newcomers.pk])).content.decode()
    assert f'<a href="{reverse("tutoring")}">Trouver un·e tuteur·rice</a>' in html
    assert "mailto:" not in html


def test_mon_espace_proposes_something_to_do_while_the_welcome_day_waits(
    client, newcomers, coordinator
):
    pathways.pathway_join(pathway=newcomers, person=coordinator)
    login(client, coordinator)
    html = client.get(reverse("home")).content.decode()
    assert "Prochaine étape : " in html and "Étape 1</a>" in html
    assert "À faire dès maintenant : " in html and "Étape 2</a>" in html


# --- #17: free texts through bounded forms ---------------------------------------------------


@pytest.fixture
def enrolled(client, newcomers, coordinator):
    enrolment = pathways.pathway_join(pathway=newcomers, person=coordinator)
    pathways.resource_read(resource=newcomers.steps.get(position=2).resource, person=coordinator)
    login(client, coordinator)
    return enrolment


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 100_000, f"{MAX_TEXT} caractères au plus"),
        (REFLECTION + "\x00", "caractère nul"),
        ("court", "au moins 20 caractères"),
    ],
    ids=["too-long", "nul-byte", "too-short"],
)
def test_a_declared_reflection_is_bounded(client, enrolled, newcomers, text, message):
    activity = newcomers.steps.get(position=5)
    response = client.post(reverse("step_declare", args=[activity.pk]), {"reflection": text})
    assert response.status_code == 302
    assert any(message in m for m in flashed(response)), flashed(response)
    assert not StepCompletion.objects.filter(step=activity).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 100_000, f"{MAX_TEXT} caractères au plus"),
        (REFLECTION + "\x00", "caractère nul"),
    ],
    ids=["too-long", "nul-byte"],
)
def test_a_prior_learning_justification_is_bounded(client, enrolled, newcomers, text, message):
    welcome = newcomers.steps.get(position=1)
    url = reverse("prior_learning_request", args=[welcome.pk])
    response = client.post(url, {"justification": text})
    assert response.status_code == 302
    assert any(message in m for m in flashed(response)), flashed(response)
    assert not PriorLearningRequest.objects.exists()
    # Within bounds, it is stored as typed.
    client.post(url, {"justification": REFLECTION})
    assert PriorLearningRequest.objects.get().justification == REFLECTION


def test_the_services_refuse_them_too(enrolled, newcomers):
    activity, welcome = newcomers.steps.get(position=5), newcomers.steps.get(position=1)
    for text in ("y" * (MAX_TEXT + 1), REFLECTION + "\x00"):
        with pytest.raises(PathwayError):
            pathways.step_declare(enrolment=enrolled, step=activity, reflection=text)
        with pytest.raises(PathwayError):
            pathways.prior_learning_request(enrolment=enrolled, step=welcome, justification=text)


def test_a_reading_without_content_is_nothing_to_do_and_cannot_be_a_new_step():
    empty = ResourceFactory(url="")  # published before content was required
    pathway = PathwayFactory()
    PathwayStepFactory(pathway=pathway, kind="resource", resource=empty)
    assert "n'aurait rien à faire" in progress.pathway_start_warning(pathway)
    with pytest.raises(PathwayError, match="ni fichier ni lien"):
        pathways.step_save(step=PathwayStep(pathway=pathway, kind="resource", resource=empty))
