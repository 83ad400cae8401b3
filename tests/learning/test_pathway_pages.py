"""Pathway pages: role × page × action, a coordinator's progress and actions, staff edits,
prior learning, attendance completing steps, and query counts at two sizes."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from agenda import services
from agenda.models import Registration
from learning import pathways
from learning.models import Enrolment, Pathway, PathwayStep, PriorLearningRequest, StepCompletion
from learning.progress import NEWCOMERS_PATHWAY
from tests.factories import EventFactory, TenureFactory, UserFactory, in_days
from tests.helpers import count_queries, login
from tests.test_permissions import MEMBERS, ROLES, TEAM

from .pathway_factories import (
    CompetencyFactory,
    OfferFactory,
    PathwayFactory,
    PathwayStepFactory,
    ResourceFactory,
    SelfAssessmentFactory,
)

pytestmark = pytest.mark.django_db

REFLECTION = "J'ai animé un premier comité de pilotage avec les élus."


def expected_status(role, allowed, ok=200):
    return ok if role in allowed else (302 if role == "anonymous" else 403)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert "!!UNKNOWN" not in html, url
    return html


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def webinar_offer(db):
    return OfferFactory(title="Webinaires de la promotion de la santé")


@pytest.fixture
def pathway(webinar_offer):
    """Free order: 1. a webinar of the offer, 2. read a sheet, 3. an activity (opens after 1),
    4. an optional tutoring."""
    pathway = PathwayFactory(title="Premiers pas", audiences=["newcomers"])
    first = PathwayStepFactory(
        pathway=pathway, position=1, kind="event", offer=webinar_offer, title="Un webinaire"
    )
    PathwayStepFactory(
        pathway=pathway,
        position=2,
        kind="resource",
        resource=ResourceFactory(title="La boussole"),
        title="Lire la boussole",
    )
    PathwayStepFactory(
        pathway=pathway, position=3, title="Présenter le CLS à son élu", unlock_after=first
    )
    PathwayStepFactory(
        pathway=pathway, position=4, kind="tutoring", title="Un tutorat", is_required=False
    )
    return pathway


def step(pathway, position):
    return pathway.steps.get(position=position)


def enrol(pathway, person):
    return pathways.pathway_join(pathway=pathway, person=person)


# --- Role × page × action -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_pathway_pages_by_role(client, user_for_role, role, pathway):
    user = user_for_role(role)
    login(client, user)
    if role == "coordinator":
        enrol(pathway, user)
    activity = step(pathway, 3)
    pages = {
        reverse("pathways"): MEMBERS,
        reverse("pathway", args=[pathway.pk]): MEMBERS,
        reverse("pathway_leave", args=[pathway.pk]): {"coordinator"},
        reverse("pathway_create"): TEAM,
        reverse("pathway_edit", args=[pathway.pk]): TEAM,
        reverse("step_create", args=[pathway.pk]): TEAM,
        reverse("step_edit", args=[activity.pk]): TEAM,
        reverse("step_retire", args=[activity.pk]): TEAM,
        reverse("prior_learning_requests"): TEAM,
    }
    for url, allowed in pages.items():
        response = client.get(url)
        assert response.status_code == expected_status(role, allowed), (url, role)
        if response.status_code == 200:
            assert b"!!UNKNOWN" not in response.content, url


@pytest.mark.parametrize("role", ROLES)
def test_pathway_actions_by_role(client, user_for_role, role, pathway, coordinator):
    user = user_for_role(role)
    login(client, user)
    other = UserFactory()
    other_enrolment = enrol(pathway, other)
    activity, webinar = step(pathway, 3), step(pathway, 1)
    plr = PriorLearningRequest.objects.create(
        enrolment=other_enrolment, step=webinar, justification="Formée l'an dernier à l'IREPS."
    )
    joins = client.post(reverse("pathway_join", args=[pathway.pk]))
    assert joins.status_code == expected_status(role, {"coordinator"}, 302)
    assert Enrolment.objects.filter(person__isnull=False).count() == (
        2 if role == "coordinator" else 1
    )
    actions = [
        (reverse("prior_learning_request", args=[webinar.pk]), {"justification": REFLECTION}),
        (reverse("step_declare", args=[activity.pk]), {"reflection": REFLECTION}),
    ]
    for url, data in actions:
        response = client.post(url, data)
        assert response.status_code == expected_status(role, {"coordinator"}, 302), url
    staff_actions = [
        (reverse("steps_reorder", args=[pathway.pk]), {"step": activity.pk, "direction": "up"}),
        (reverse("prior_learning_review", args=[plr.pk]), {"decision": "accept"}),
    ]
    for url, data in staff_actions:
        response = client.post(url, data)
        assert response.status_code == expected_status(role, TEAM, 302), url
    activity.refresh_from_db()
    plr.refresh_from_db()
    if role in TEAM:
        assert activity.position == 2 and plr.status == PriorLearningRequest.Status.ACCEPTED
    else:
        assert activity.position == 3 and plr.status == PriorLearningRequest.Status.PENDING
    retire = client.post(reverse("step_retire", args=[activity.pk]))
    assert retire.status_code == expected_status(role, TEAM, 302)
    activity.refresh_from_db()
    assert activity.is_retired == (role in TEAM)


# --- A coordinator ---------------------------------------------------------------------------


def test_join_twice_gives_a_french_message(client, coordinator, pathway):
    client.force_login(coordinator)
    client.post(reverse("pathway_join", args=[pathway.pk]))
    response = client.post(reverse("pathway_join", args=[pathway.pk]), follow=True)
    assert "Vous suivez déjà ce parcours." in response.content.decode()
    assert Enrolment.objects.filter(person=coordinator).count() == 1


def test_coordinator_sees_steps_states_and_actions(client, coordinator, pathway, webinar_offer):
    session = EventFactory(title="Webinaire plaidoyer", offer=webinar_offer, starts_at=in_days(9))
    enrol(pathway, coordinator)
    client.force_login(coordinator)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "0 étape obligatoire faite sur 3" in html
    assert "Webinaire plaidoyer" in html
    assert reverse("event_register", args=[session.pk]) in html
    assert "S'ouvre après « Un webinaire »" in html  # the activity, locked
    assert "Verrouillée" in html and "Ouverte" in html
    assert reverse("step_declare", args=[step(pathway, 4).pk]) in html  # optional tutoring
    assert reverse("step_declare", args=[step(pathway, 3).pk]) not in html  # locked
    assert "Faire valider mes acquis" in html
    assert reverse("offer", args=[webinar_offer.pk]) in html
    assert reverse("resource", args=[step(pathway, 2).resource_id]) in html
    assert "Quitter ce parcours" in html and "Rejoindre ce parcours" not in html
    assert reverse("step_create", args=[pathway.pk]) not in html  # no staff links
    # Registered: the next session says so instead of a button.
    services.event_register(event=session, person=coordinator)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "Inscrit·e" in html
    assert reverse("event_register", args=[session.pk]) not in html


def test_event_step_without_session_and_retired_offer(client, coordinator, pathway, webinar_offer):
    enrol(pathway, coordinator)
    client.force_login(coordinator)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "Pas de séance prévue pour l'instant" in html
    webinar_offer.is_active = False
    webinar_offer.save()
    EventFactory(offer=webinar_offer, title="Dernière séance")
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "Offre retirée" in html
    assert "Dernière séance" not in html
    assert reverse("prior_learning_request", args=[step(pathway, 1).pk]) in html
    response = client.post(
        reverse("prior_learning_request", args=[step(pathway, 1).pk]),
        {"justification": "J'ai suivi ce webinaire quand il existait, en 2023."},
    )
    assert response.status_code == 302
    assert PriorLearningRequest.objects.filter(step=step(pathway, 1)).count() == 1
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "Validation d'acquis en attente" in html


def test_declaring_a_locked_step_is_refused(client, coordinator, pathway):
    enrol(pathway, coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("step_declare", args=[step(pathway, 3).pk]), {"reflection": REFLECTION}
    )
    assert "Cette étape s'ouvre après « Un webinaire »." in flashed(response)
    assert not StepCompletion.objects.exists()


def test_declaring_with_a_short_reflection_saves_nothing(client, coordinator, pathway):
    enrolment = enrol(pathway, coordinator)
    client.force_login(coordinator)
    tutoring = step(pathway, 4)
    response = client.post(reverse("step_declare", args=[tutoring.pk]), {"reflection": "  Bien. "})
    assert response["Location"].endswith(f"#etape-{tutoring.pk}")
    assert any("au moins 20 caractères" in m for m in flashed(response))
    assert not StepCompletion.objects.exists()
    response = client.post(reverse("step_declare", args=[tutoring.pk]), {"reflection": REFLECTION})
    completion = StepCompletion.objects.get(enrolment=enrolment)
    assert completion.step == tutoring and completion.source == "declared"
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "déclarée" in html and REFLECTION.replace("'", "&#x27;") in html


def test_declaring_without_enrolment_is_refused(client, coordinator, pathway):
    client.force_login(coordinator)
    response = client.post(
        reverse("step_declare", args=[step(pathway, 4).pk]), {"reflection": REFLECTION}
    )
    assert "Rejoignez d'abord ce parcours." in flashed(response)
    assert not StepCompletion.objects.exists()


def test_prior_learning_on_a_done_step_is_refused(client, coordinator, pathway):
    enrolment = enrol(pathway, coordinator)
    tutoring = step(pathway, 4)
    pathways.step_declare(enrolment=enrolment, step=tutoring, reflection=REFLECTION)
    client.force_login(coordinator)
    response = client.post(
        reverse("prior_learning_request", args=[tutoring.pk]), {"justification": REFLECTION}
    )
    assert "Cette étape est déjà faite : rien à valider." in flashed(response)
    assert not PriorLearningRequest.objects.exists()


def test_prior_learning_reviewed_by_staff(client, coordinator, staff, pathway):
    enrolment = enrol(pathway, coordinator)
    webinar = step(pathway, 1)
    client.force_login(coordinator)
    client.post(
        reverse("prior_learning_request", args=[webinar.pk]),
        {"justification": "J'ai suivi le même webinaire à l'IREPS."},
    )
    plr = PriorLearningRequest.objects.get()
    client.force_login(staff)
    html = page(client, reverse("prior_learning_requests"))
    assert coordinator.get_full_name() in html and "Premiers pas" in html
    assert "à l&#x27;IREPS" in html
    # Refusing needs a reason; nothing changes without one.
    response = client.post(reverse("prior_learning_review", args=[plr.pk]), {"decision": "refuse"})
    assert "Dites en une phrase pourquoi la demande est refusée." in flashed(response)
    plr.refresh_from_db()
    assert plr.status == "pending"
    client.post(
        reverse("prior_learning_review", args=[plr.pk]),
        {"decision": "refuse", "comment": "Ce webinaire-là portait sur un autre sujet."},
    )
    client.force_login(coordinator)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "Validation d'acquis refusée" in html and "portait sur un autre sujet" in html
    client.post(
        reverse("prior_learning_request", args=[webinar.pk]),
        {"justification": "J'ai aussi animé ce même webinaire pour mon réseau."},
    )
    plr = PriorLearningRequest.objects.get(status="pending")
    client.force_login(staff)
    client.post(reverse("prior_learning_review", args=[plr.pk]), {"decision": "accept"})
    plr.refresh_from_db()
    assert plr.status == "accepted" and plr.reviewed_by == staff
    assert StepCompletion.objects.get(enrolment=enrolment).source == "validated"
    html = page(client, reverse("prior_learning_requests"))
    assert "Aucune demande en attente." in html and "Acceptée" in html
    response = client.post(reverse("prior_learning_review", args=[plr.pk]), {"decision": "accept"})
    assert "Cette demande a déjà été traitée." in flashed(response)
    client.force_login(coordinator)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "acquis validés par l'équipe" in html


def test_leave_asks_for_confirmation(client, coordinator, pathway):
    enrolment = enrol(pathway, coordinator)
    client.force_login(coordinator)
    html = page(client, reverse("pathway_leave", args=[pathway.pk]))
    assert "Quitter le parcours" in html
    enrolment.refresh_from_db()
    assert enrolment.left_at is None
    response = client.post(reverse("pathway_leave", args=[pathway.pk]))
    assert response["Location"] == reverse("pathways")
    enrolment.refresh_from_db()
    assert enrolment.left_at is not None
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "Rejoindre ce parcours" in html


def test_list_page_for_a_coordinator(client, coordinator, pathway):
    other = PathwayFactory(title="Renforcer le plaidoyer", audiences=["all"])
    newcomers = PathwayFactory(title=NEWCOMERS_PATHWAY)
    TenureFactory(person=coordinator, started_on=timezone.localdate() - datetime.timedelta(60))
    enrol(pathway, coordinator)
    client.force_login(coordinator)
    html = page(client, reverse("pathways"))
    assert "Recommandé pour vous : Nouveaux coordinateurs" in html
    assert "première année de coordination" in html
    assert reverse("pathway_join", args=[newcomers.pk]) in html
    assert "Mes parcours" in html and "0 étape obligatoire faite sur 3" in html
    assert "Prochaine étape" in html and "Un webinaire" in html
    assert "Autres parcours ouverts" in html and other.title in html
    assert "Tous les coordinateur·rices" in html  # audience badge of the other pathway
    assert reverse("pathway_create") not in html


# --- Staff and partners ---------------------------------------------------------------------


def test_staff_and_partners_see_figures_without_names(client, staff, dd93, pathway):
    people = [UserFactory(first_name="Zoé", last_name=f"Personne{i}") for i in range(3)]
    enrolments = [enrol(pathway, person) for person in people]
    for number in (1, 2, 3):
        StepCompletion.objects.create(
            enrolment=enrolments[0], step=step(pathway, number), source="validated"
        )
    for user in (staff, dd93):
        client.force_login(user)
        for url in (reverse("pathways"), reverse("pathway", args=[pathway.pk])):
            html = page(client, url)
            assert "Personne0" not in html
        assert "3 personnes suivent ce parcours" in " ".join(html.split()).replace(
            '<span class="figure-number">', ""
        ).replace("</span>", "")
    client.force_login(dd93)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert reverse("step_create", args=[pathway.pk]) not in html
    assert "Rejoindre" not in html and "Faire valider" not in html
    html = page(client, reverse("pathways"))
    assert reverse("pathway_create") not in html
    client.force_login(staff)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert reverse("step_create", args=[pathway.pk]) in html
    assert "Monter" in html and "Descendre" in html
    html = page(client, reverse("pathways"))
    assert reverse("pathway_create") in html and reverse("prior_learning_requests") in html


def test_staff_create_and_edit_a_pathway(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("pathway_create"),
        {
            "title": "Renouvellement de CLS",
            "description": "Pour préparer le **renouvellement**.",
            "audiences": ["cls_renewal"],
            "is_ordered": "on",
            "is_active": "on",
        },
    )
    created = Pathway.objects.get(title="Renouvellement de CLS")
    assert response["Location"] == reverse("pathway", args=[created.pk])
    assert created.audiences == ["cls_renewal"] and created.is_ordered
    response = client.post(reverse("pathway_create"), {"title": "Renouvellement de CLS"})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "audiences" in response.context["form"].errors
    client.post(
        reverse("pathway_edit", args=[created.pk]),
        {"title": "Renouveler son CLS", "audiences": ["CLS"], "is_active": ""},
    )
    created.refresh_from_db()
    assert created.title == "Renouveler son CLS" and not created.is_active


def test_staff_adds_a_step_and_progress_stays(client, staff, coordinator, pathway):
    enrolment = enrol(pathway, coordinator)
    done = step(pathway, 4)
    pathways.step_declare(enrolment=enrolment, step=done, reflection=REFLECTION)
    new_offer = OfferFactory(title="Journée régionale")
    client.force_login(staff)
    response = client.post(
        reverse("step_create", args=[pathway.pk]),
        {
            "kind": "event",
            "title": "Venir à la journée régionale",
            "instructions": "",
            "offer": new_offer.pk,
            "is_required": "on",
            "unlock_after": step(pathway, 2).pk,
        },
    )
    added = PathwayStep.objects.get(title="Venir à la journée régionale")
    assert response["Location"].endswith(f"#etape-{added.pk}")
    assert added.position == 5 and added.unlock_after == step(pathway, 2)
    assert list(StepCompletion.objects.values_list("enrolment", "step")) == [
        (enrolment.pk, done.pk)
    ]
    client.force_login(coordinator)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "Venir à la journée régionale" in html
    assert "0 étape obligatoire faite sur 4" in html
    assert "Faite le" in html and "déclarée" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "event"}, "offer", "Choisissez l'offre"),
        ({"kind": "resource"}, "resource", "Choisissez la ressource"),
        ({"kind": "event", "offer": "retired"}, "offer", "Sélectionnez un choix valide"),
        ({"kind": "resource", "resource": "draft"}, "resource", "Sélectionnez un choix valide"),
        ({"kind": "activity", "unlock_after": "elsewhere"}, "unlock_after", "Sélectionnez"),
    ],
)
def test_bad_step_forms_save_nothing(client, staff, pathway, data, field, message):
    retired = OfferFactory(is_active=False)
    draft = ResourceFactory(is_published=False)
    elsewhere = PathwayStepFactory()
    values = {"title": "Une étape de trop", "is_required": "on", **data}
    values = {
        k: {"retired": retired.pk, "draft": draft.pk, "elsewhere": elsewhere.pk}.get(v, v)
        for k, v in values.items()
    }
    client.force_login(staff)
    response = client.post(reverse("step_create", args=[pathway.pk]), values)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert not PathwayStep.objects.filter(title="Une étape de trop").exists()


def test_retired_offer_of_an_edited_step_is_reported(client, staff, pathway, webinar_offer):
    webinar_offer.is_active = False
    webinar_offer.save()
    webinar = step(pathway, 1)
    client.force_login(staff)
    response = client.post(
        reverse("step_edit", args=[webinar.pk]),
        {"kind": "event", "title": "Un autre titre", "offer": webinar_offer.pk},
    )
    assert response.status_code == 200
    assert "est retirée du catalogue" in response.content.decode()
    webinar.refresh_from_db()
    assert webinar.title == "Un webinaire"


def test_retiring_a_done_step_lists_it_apart(client, staff, coordinator, pathway):
    enrolment = enrol(pathway, coordinator)
    tutoring = step(pathway, 4)
    pathways.step_declare(enrolment=enrolment, step=tutoring, reflection=REFLECTION)
    client.force_login(staff)
    html = page(client, reverse("step_retire", args=[tutoring.pk]))
    assert "version précédente" in html
    client.post(reverse("step_retire", args=[tutoring.pk]))
    tutoring.refresh_from_db()
    assert tutoring.is_retired
    response = client.post(reverse("step_retire", args=[tutoring.pk]))
    assert "Cette étape est déjà retirée." in flashed(response)
    assert client.get(reverse("step_edit", args=[tutoring.pk])).status_code == 302
    client.force_login(coordinator)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "Étapes d'une version précédente du parcours" in html
    section = html.split("version précédente du parcours")[1]
    assert "Un tutorat" in section and "déclarée" in section
    assert f'id="etape-{tutoring.pk}"' not in html


def test_reorder_moves_one_step(client, staff, pathway):
    client.force_login(staff)
    url = reverse("steps_reorder", args=[pathway.pk])
    third = step(pathway, 3)
    client.post(url, {"step": third.pk, "direction": "down"})
    assert list(pathway.steps.values_list("title", flat=True)) == [
        "Un webinaire",
        "Lire la boussole",
        "Un tutorat",
        "Présenter le CLS à son élu",
    ]
    client.post(url, {"step": step(pathway, 1).pk, "direction": "up"})  # already first
    assert step(pathway, 1).title == "Un webinaire"
    response = client.post(url, {"step": "abc", "direction": "up"})
    assert response.status_code == 302 and flashed(response)
    response = client.post(url, {"step": PathwayStepFactory().pk, "direction": "up"})
    assert "rechargez" in flashed(response)[0]


# --- Attendance completes the matching steps --------------------------------------------------


def test_attendance_at_a_webinar_completes_the_steps_of_every_pathway(
    client, coordinator, pathway, webinar_offer
):
    second = PathwayFactory(title="Approfondir")
    other_step = PathwayStepFactory(pathway=second, kind="event", offer=webinar_offer)
    first_enrolment, second_enrolment = enrol(pathway, coordinator), enrol(second, coordinator)
    webinar = EventFactory(
        title="Webinaire du 3 mars",
        offer=webinar_offer,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
    )
    registration = Registration.objects.create(
        event=webinar, person=coordinator, status="confirmed"
    )
    services.registration_check_in(registration=registration)
    completions = StepCompletion.objects.filter(registration=registration, source="attendance")
    assert {(c.enrolment_id, c.step_id) for c in completions} == {
        (first_enrolment.pk, step(pathway, 1).pk),
        (second_enrolment.pk, other_step.pk),
    }
    client.force_login(coordinator)
    html = page(client, reverse("pathway", args=[pathway.pk]))
    assert "présence à « Webinaire du 3 mars »" in html
    assert "1 étape obligatoire faite sur 3" in html
    # The activity it unlocked can be declared now.
    assert reverse("step_declare", args=[step(pathway, 3).pk]) in html


# --- Query counts ---------------------------------------------------------------------------


def add_enrolments(count, pathways_, steps):
    """`count` enrolments of other people over the pathways, half with a step done."""
    start = User.objects.count()
    people = User.objects.bulk_create(
        User(email=f"masse{start + i}@exemple.fr", first_name="Masse", last_name=str(i))
        for i in range(count // len(pathways_) + 1)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(pathway=pathways_[i % len(pathways_)], person=people[i // len(pathways_)])
        for i in range(count)
    )
    StepCompletion.objects.bulk_create(
        StepCompletion(enrolment=e, step=steps[e.pathway_id], source="declared")
        for e in enrolments[::2]
    )


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_dd93"])
def test_pathway_pages_queries_are_constant(client, user_for_role, role, pathway, webinar_offer):
    user = user_for_role(role)
    client.force_login(user)
    second = PathwayFactory(title="Approfondir")
    other_step = PathwayStepFactory(pathway=second, kind="event", offer=webinar_offer)
    EventFactory(offer=webinar_offer)
    if role == "coordinator":
        enrolment = enrol(pathway, user)
        enrol(second, user)
        pathways.step_declare(enrolment=enrolment, step=step(pathway, 4), reflection=REFLECTION)
        competency = CompetencyFactory()
        SelfAssessmentFactory(person=user, levels={competency: 2})
    PathwayFactory(title=NEWCOMERS_PATHWAY)
    PriorLearningRequest.objects.create(
        enrolment=enrol(pathway, UserFactory()),
        step=step(pathway, 1),
        justification="Une formation équivalente suivie ailleurs.",
    )
    urls = [
        reverse("pathways"),
        reverse("pathway", args=[pathway.pk]),
        reverse("home"),
    ]
    if role == "staff":
        urls.append(reverse("prior_learning_requests"))
    steps = {pathway.pk: step(pathway, 1), second.pk: other_step}
    add_enrolments(10, [pathway, second], steps)
    small = [count_queries(client, url) for url in urls]
    add_enrolments(1000, [pathway, second], steps)
    large = [count_queries(client, url) for url in urls]
    assert small == large


def test_list_figures_follow_the_pathway_figures(pathway):
    from learning.progress import pathway_figures, pathways_figures

    empty = PathwayFactory()
    enrolments = [enrol(pathway, UserFactory()) for _ in range(3)]
    for number in (1, 2, 3):  # every required step: finished
        StepCompletion.objects.create(
            enrolment=enrolments[0], step=step(pathway, number), source="validated"
        )
    StepCompletion.objects.create(enrolment=enrolments[1], step=step(pathway, 4), source="declared")
    pathways.pathway_leave(enrolment=enrolments[2])
    assert pathways_figures([pathway, empty]) == [(pathway, 2, 1), (empty, 0, 0)]
    assert pathway_figures(pathway) == {"running": 2, "finished": 1}
