"""Tutoring of newcomers: suggestions, requests and answers, the pathway's tutoring step, the
"only without a tutor" condition, sessions (private agenda events with reminders), notes, the
end with feedback, and the staff's overview."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda import selectors as agenda_selectors
from agenda.models import Event, Registration
from agenda.services import EventError, event_register
from coordinators.models import Scheme
from learning import pathways
from learning.models import PathwayStep, StepCompletion
from network.handlers.tutoring import NO_TUTOR
from network.models.tutoring import TutoringPair
from network.selectors import tutoring as selectors
from network.services import tutoring as services
from network.services.tutoring import TutoringError
from notifications.models import Delivery
from notifications.registry import CONDITIONS
from tests.factories import CoordinatorProfileFactory, TenureFactory
from tests.helpers import login
from tests.learning.pathway_factories import PathwayFactory, PathwayStepFactory, ResourceFactory

from .tutoring_factories import TODAY, newcomer, tutor

pytestmark = pytest.mark.django_db


def suggested(person, **kwargs):
    return [s.tutor for s in selectors.tutor_suggestions(person, TODAY, **kwargs)]


def accepted(person, by, message="Avec plaisir, à bientôt !"):
    pair = services.tutoring_request(newcomer=person, tutor=by, message="Bonjour !")
    return services.tutoring_answer(pair=pair, tutor=by, accept=True, answer=message)


# --- Suggestions ------------------------------------------------------------------------------


def test_suggestions_are_experienced_same_kind_near_with_room(promosante):
    awa = newcomer()
    julien = tutor(1)  # 95, a neighbour of 93
    same_department = tutor(1, first_name="Sami", commune_code="93066", department_code="93")
    tutor(1, first_name="Junior", years=2)  # under three years
    tutor(1, first_name="Autre", kind=Scheme.Kind.ASV)  # another type of scheme
    tutor(1, first_name="Loin", commune_code="78646", department_code="78")  # not near 93
    tutor(0, first_name="Occupée")  # accepts no newcomer
    full = tutor(1, first_name="Pleine")
    accepted(newcomer(first_name="Déjà"), full)  # her one place is taken
    # Same département first, then the longest in post.
    assert suggested(awa) == [same_department, julien]
    assert awa not in suggested(awa)


def test_a_reason_never_reveals_a_hidden_seniority(promosante):
    awa = newcomer()
    tutor(1, shows=(), years=9)
    [suggestion] = selectors.tutor_suggestions(awa, TODAY)
    assert "9 ans" not in " ".join(suggestion.reasons)
    assert "plus de 3 ans d’ancienneté" in suggestion.reasons
    tutor(1, first_name="Léa", shows=("seniority",), years=7)
    reasons = [" ".join(s.reasons) for s in selectors.tutor_suggestions(awa, TODAY)]
    assert any("7 ans d’ancienneté" in r for r in reasons)
    assert any("même type de dispositif (CLSM)" in r for r in reasons)


# --- Asking and answering ---------------------------------------------------------------------


def test_impossible_requests_say_why(promosante):
    awa, julien = newcomer(), tutor(1)
    with pytest.raises(TutoringError, match="votre propre tuteur"):
        services.tutoring_request(newcomer=awa, tutor=awa)
    with pytest.raises(TutoringError, match="ne propose pas de tutorat"):
        services.tutoring_request(newcomer=awa, tutor=tutor(0, first_name="Zoé"))
    services.tutoring_request(newcomer=awa, tutor=julien)
    with pytest.raises(TutoringError, match="déjà une demande de tutorat en attente"):
        services.tutoring_request(newcomer=awa)
    # Julien's one place goes to someone else first: no room left.
    accepted(newcomer(first_name="Inès"), julien)
    pair = TutoringPair.objects.get(newcomer=awa)
    with pytest.raises(TutoringError, match="autant de nouveaux·elles"):
        services.tutoring_answer(pair=pair, tutor=julien, accept=True)
    assert TutoringPair.objects.get(newcomer=awa).status == "requested"  # nothing half-done


def test_an_answered_request_cannot_be_answered_again(promosante):
    awa, julien = newcomer(), tutor(2)
    pair = accepted(awa, julien)
    with pytest.raises(TutoringError, match="déjà reçu une réponse"):
        services.tutoring_answer(pair=pair, tutor=julien, accept=False, answer="Non")
    with pytest.raises(TutoringError, match="déjà un·e tuteur·rice"):
        services.tutoring_request(newcomer=awa)
    other = tutor(1, first_name="Sami")
    with pytest.raises(TutoringError, match="ne vous est pas adressée"):
        services.tutoring_answer(pair=pair, tutor=other, accept=True)


def test_a_decline_needs_a_message_then_the_newcomer_asks_someone_else(promosante):
    awa, julien, sami = newcomer(), tutor(1), tutor(1, first_name="Sami")
    pair = services.tutoring_request(newcomer=awa, tutor=julien, message="Bonjour")
    with pytest.raises(TutoringError, match="pourquoi vous déclinez"):
        services.tutoring_answer(pair=pair, tutor=julien, accept=False, answer="  ")
    services.tutoring_answer(
        pair=pair, tutor=julien, accept=False, answer="Je pars en congé, désolé."
    )
    told = Delivery.objects.get(email=awa.email, subject__contains="ne peut pas être")
    assert "Je pars en congé, désolé." in told.text
    mine = selectors.my_tutoring(awa, TODAY)
    assert mine.as_newcomer is None
    assert [s.tutor for s in mine.suggestions] == [sami]  # not the one who declined
    services.tutoring_request(newcomer=awa, tutor=sami)
    assert Delivery.objects.filter(email=sami.email, subject__contains="demande de tutorat")


def test_accepting_tells_both_and_completes_the_pathway_tutoring_step(promosante):
    awa, julien = newcomer(), tutor(1)
    pathway = PathwayFactory(is_ordered=True)
    PathwayStepFactory(pathway=pathway, kind="resource", resource=ResourceFactory())
    step = PathwayStepFactory(pathway=pathway, kind=PathwayStep.Kind.TUTORING)
    pathways.pathway_join(pathway=pathway, person=awa)
    accepted(awa, julien)
    completion = StepCompletion.objects.get(step=step, enrolment__person=awa)
    assert "Julien Moreau" in completion.reflection
    for person in (awa, julien):
        assert Delivery.objects.filter(email=person.email, subject="Votre tutorat commence")
    assert TutoringPair.objects.get(newcomer=awa).started_on == TODAY


def test_a_pathway_joined_with_a_tutor_already_has_its_tutoring_step_done(promosante):
    awa, julien = newcomer(), tutor(1)
    accepted(awa, julien)
    pathway = PathwayFactory(is_ordered=True)
    PathwayStepFactory(pathway=pathway, kind="resource", resource=ResourceFactory())
    step = PathwayStepFactory(pathway=pathway, kind=PathwayStep.Kind.TUTORING)

    pathways.pathway_join(pathway=pathway, person=awa)

    completion = StepCompletion.objects.get(step=step, enrolment__person=awa)
    assert completion.source == StepCompletion.Source.TUTORING
    assert "Julien Moreau" in completion.reflection
    # Someone without a tutor joins with the step still to do.
    other = newcomer(first_name="Lina")
    pathways.pathway_join(pathway=pathway, person=other)
    assert not StepCompletion.objects.filter(step=step, enrolment__person=other).exists()


def test_the_onboarding_condition_skips_people_with_a_tutor(promosante):
    awa, julien = newcomer(), tutor(1)
    condition = CONDITIONS[NO_TUTOR]
    assert condition.label == "Seulement sans tuteur·rice"
    assert condition.skip_reason(awa) is None
    services.tutoring_request(newcomer=awa, tutor=julien)
    assert condition.skip_reason(awa) is None  # a request is not a tutor yet
    pair = TutoringPair.objects.get(newcomer=awa)
    services.tutoring_answer(pair=pair, tutor=julien, accept=True)
    assert condition.skip_reason(awa) == "A déjà un·e tuteur·rice."


def test_staff_propose_a_pair_to_a_request_that_named_nobody(promosante, staff):
    awa, julien = newcomer(), tutor(1)
    services.tutoring_request(newcomer=awa, message="Je cherche quelqu’un.")
    assert Delivery.objects.filter(subject__contains="Demande de tutorat d’Awa").exists()
    pair = services.tutoring_propose(newcomer=awa, tutor=julien, by=staff, message="Bonjour")
    assert (pair.tutor, pair.proposed_by, pair.status) == (julien, staff, "requested")
    assert TutoringPair.objects.count() == 1
    with pytest.raises(TutoringError, match="attend déjà une réponse"):
        services.tutoring_propose(newcomer=awa, tutor=tutor(1, first_name="Sami"), by=staff)


# --- An active pair -------------------------------------------------------------------------


def test_a_session_is_a_private_agenda_event_with_reminders_for_both(client, promosante):
    awa, julien = newcomer(), tutor(1)
    pair = accepted(awa, julien)
    starts = timezone.now() + timedelta(days=3)
    session = services.tutoring_session_plan(
        pair=pair, by=julien, starts_at=starts, minutes=60, video_url="https://visio.example.org/x"
    )
    event = session.event
    assert event.kind == Event.Kind.TUTORING
    registered = set(event.registrations.values_list("person", flat=True))
    assert registered == {awa.pk, julien.pk}
    reminders = Delivery.objects.filter(topic=f"event:{event.pk}", kind="event_reminder")
    assert {d.email for d in reminders} == {awa.email, julien.email}
    assert reminders.count() == 4  # J-1 and H-1 for each

    # Nobody else sees it in the agenda or opens it, nor registers.
    peer = CoordinatorProfileFactory().user
    assert event not in agenda_selectors.agenda(user=peer, filters={})
    assert event in agenda_selectors.agenda(user=awa, filters={})
    login(client, peer)
    assert client.get(reverse("event", args=[event.pk])).status_code == 404
    assert client.get(reverse("event_ics", args=[event.pk])).status_code == 404
    with pytest.raises(EventError, match="réservée"):
        event_register(event=event, person=peer)
    login(client, awa)
    assert client.get(reverse("event", args=[event.pk])).status_code == 200


def test_a_session_in_the_past_or_of_a_pair_not_active_is_refused(promosante):
    awa, julien = newcomer(), tutor(1)
    pair = services.tutoring_request(newcomer=awa, tutor=julien)
    soon = timezone.now() + timedelta(days=1)
    with pytest.raises(TutoringError, match="tutorat en cours"):
        services.tutoring_session_plan(pair=pair, by=awa, starts_at=soon)
    pair = services.tutoring_answer(pair=pair, tutor=julien, accept=True)
    with pytest.raises(TutoringError, match="à venir"):
        services.tutoring_session_plan(pair=pair, by=awa, starts_at=timezone.now())
    stranger = CoordinatorProfileFactory().user
    with pytest.raises(TutoringError, match="ne faites pas partie"):
        services.tutoring_session_plan(pair=pair, by=stranger, starts_at=soon)
    assert not Event.objects.filter(kind=Event.Kind.TUTORING).exists()


NOTE = "MARQUEUR-NOTE-PRIVEE : le comité de pilotage de mars"


def test_notes_are_private_to_the_pair_and_staff(client, promosante, staff):
    awa, julien = newcomer(), tutor(1)
    pair = accepted(awa, julien)
    services.tutoring_note_add(pair=pair, author=julien, text=NOTE)
    url = reverse("tutoring_pair", args=[pair.pk])
    for person in (awa, julien, staff):
        login(client, person)
        assert NOTE in client.get(url).content.decode()
    for person in (CoordinatorProfileFactory().user, tutor(1, first_name="Sami")):
        login(client, person)
        response = client.get(url)
        assert response.status_code == 404
        assert NOTE not in response.content.decode()
        response = client.post(reverse("tutoring_note", args=[pair.pk]), {"text": "x"})
        assert response.status_code == 404
    assert pair.notes.count() == 1


def test_the_end_takes_feedback_from_both_once(promosante):
    awa, julien = newcomer(), tutor(1)
    pair = accepted(awa, julien)
    later = services.tutoring_session_plan(
        pair=pair, by=awa, starts_at=timezone.now() + timedelta(days=5)
    )
    with pytest.raises(TutoringError, match="au moins"):
        services.tutoring_end(pair=pair, by=awa, feedback="Bien")
    services.tutoring_end(pair=pair, by=awa, feedback="Merci, j’ai pris mes marques.")
    later.event.refresh_from_db()
    assert later.event.is_cancelled
    assert Delivery.objects.filter(email=julien.email, subject="Votre tutorat est terminé")
    services.tutoring_end(pair=pair, by=julien, feedback="Un binôme riche pour moi aussi.")
    pair.refresh_from_db()
    assert pair.status == "ended" and pair.ended_by == awa
    assert (pair.newcomer_feedback, pair.tutor_feedback) == (
        "Merci, j’ai pris mes marques.",
        "Un binôme riche pour moi aussi.",
    )
    with pytest.raises(TutoringError, match="déjà donné votre bilan"):
        services.tutoring_end(pair=pair, by=julien, feedback="Encore une fois ici.")
    # The tutor's place is free again.
    assert selectors.room_left(julien) == 1


# --- Pages --------------------------------------------------------------------------------------


def test_the_journey_through_the_pages(client, promosante):
    awa, julien = newcomer(), tutor(1)
    login(client, awa)
    page = client.get(reverse("tutoring")).content.decode()
    assert "Demander à Julien Moreau" in page
    response = client.post(
        reverse("tutoring_request"), {"tutor": julien.pk, "message": "Bonjour Julien"}
    )
    assert response.status_code == 302
    pair = TutoringPair.objects.get(newcomer=awa)
    # Asking twice says why, nothing is saved.
    response = client.post(reverse("tutoring_request"), {"tutor": "", "message": ""})
    assert "déjà une demande de tutorat en attente" in response.content.decode()
    login(client, julien)
    assert "Bonjour Julien" in client.get(reverse("tutoring")).content.decode()
    url = reverse("tutoring_answer", args=[pair.pk])
    response = client.post(url, {"decision": "decline", "answer": ""})
    assert "pourquoi vous déclinez" in response.content.decode()
    response = client.post(url, {"decision": "accept", "answer": "Avec plaisir"})
    assert response["Location"] == reverse("tutoring_pair", args=[pair.pk])
    response = client.post(
        reverse("tutoring_session", args=[pair.pk]),
        {"starts_at": "01/01/1900 10:00", "minutes": "60"},
    )
    assert response.status_code == 200 and "1950" in response.content.decode()
    assert TutoringPair.objects.get(pk=pair.pk).sessions.count() == 0
    # An empty form says what is missing.
    response = client.post(reverse("tutoring_end", args=[pair.pk]), {})
    assert "Écrivez votre bilan en quelques mots." in response.content.decode()


def test_bad_input_never_500s(client, promosante):
    awa = newcomer()
    login(client, awa)
    for data in ({"tutor": "abc"}, {"tutor": "99999999999999999999"}, {"tutor": str(awa.pk)}):
        response = client.post(reverse("tutoring_request"), data)
        assert response.status_code == 200
        assert "Choisissez dans la liste" in response.content.decode()
    assert client.get(reverse("tutoring_pair", args=[999999])).status_code == 404
    assert client.get(reverse("tutoring_answer", args=[999999])).status_code == 404
    assert not TutoringPair.objects.exists()


def test_staff_overview_lists_newcomers_without_a_tutor_and_proposes(client, promosante, staff):
    awa, julien = newcomer(), tutor(1)
    newcomer(first_name="Ancienne", started_on=TODAY - timedelta(days=500))  # over 12 months
    # An experienced coordinator who changed post this year is no newcomer.
    moved = tutor(0, first_name="Mutée")
    TenureFactory(person=moved, started_on=TODAY - timedelta(days=30))
    login(client, staff)
    page = client.get(reverse("tutoring_overview")).content.decode()
    assert "Awa Diallo" in page and "Ancienne" not in page and "Mutée" not in page
    url = reverse("tutoring_propose", args=[awa.pk])
    assert "Julien Moreau" in client.get(url).content.decode()
    response = client.post(url, {"tutor": julien.pk, "message": "Vous êtes voisins."})
    assert response.status_code == 302
    pair = TutoringPair.objects.get(newcomer=awa)
    services.tutoring_answer(pair=pair, tutor=julien, accept=True)
    overview = client.get(reverse("tutoring_overview")).context["overview"]
    assert overview.without_tutor == [] and [p.newcomer for p in overview.active] == [awa]


def test_the_pathway_tutoring_step_links_to_the_tutoring_page(client, promosante):
    awa = newcomer()
    pathway = PathwayFactory(is_ordered=True)  # the tutoring step waits for a reading…
    PathwayStepFactory(pathway=pathway, kind="resource", resource=ResourceFactory())
    PathwayStepFactory(pathway=pathway, kind=PathwayStep.Kind.TUTORING)
    pathways.pathway_join(pathway=pathway, person=awa)
    login(client, awa)
    page = client.get(reverse("pathway", args=[pathway.pk])).content.decode()
    assert "Verrouillée" in page
    assert f'href="{reverse("tutoring")}"' in page  # …but asking for a tutor waits for nothing
    assert "mailto:" not in page


def test_registrations_of_sessions_are_confirmed(promosante):
    awa, julien = newcomer(), tutor(1)
    pair = accepted(awa, julien)
    session = services.tutoring_session_plan(
        pair=pair, by=awa, starts_at=timezone.now() + timedelta(days=2)
    )
    assert set(session.event.registrations.values_list("status", flat=True)) == {
        Registration.Status.CONFIRMED
    }


def test_a_newcomer_may_name_anyone_with_room_beyond_the_suggestions(client, promosante):
    awa = newcomer()
    other_kind = tutor(
        1, first_name="Marc", kind=Scheme.Kind.ASV, commune_code="78646", department_code="78"
    )
    tutor(0, first_name="Sans")  # accepts nobody
    assert suggested(awa) == []
    login(client, awa)
    form = client.get(reverse("tutoring_request")).context["form"]
    assert list(form.fields["tutor"].queryset) == [other_kind]
    client.post(reverse("tutoring_request"), {"tutor": other_kind.pk, "message": ""})
    assert TutoringPair.objects.get(newcomer=awa).tutor == other_kind


def test_a_hidden_seniority_is_not_in_the_page_source(client, promosante):
    awa = newcomer()
    tutor(1, shows=(), years=9)
    login(client, awa)
    html = client.get(reverse("tutoring")).content.decode()
    assert "Demander à Julien Moreau" in html
    assert "9 ans" not in html and "plus de 3 ans d’ancienneté" in html


def test_the_page_speaks_to_a_newcomer_as_a_newcomer_and_to_a_tutor_as_a_tutor(client):
    awa, julien = newcomer(), tutor(1)
    login(client, julien)
    page = client.get(reverse("tutoring")).content.decode()
    assert "le tutorat s’adresse aux nouveaux·elles coordinateur·rices" in page
    assert "Tuteur·rices possibles" not in page and "Je suis tuteur·rice" in page
    assert "Trouver un·e tuteur·rice" not in client.get(reverse("mutual_help")).content.decode()

    login(client, awa)
    page = client.get(reverse("tutoring")).content.decode()
    assert "Tuteur·rices possibles" in page and "Je suis tuteur·rice" not in page
    assert "Trouver un·e tuteur·rice" in client.get(reverse("mutual_help")).content.decode()
