"""Notification pages: the staff outbox, reminder rules, onboarding sequences, a person's
preferences and the one-click unsubscribe link."""

import html
import itertools

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agenda import reminders
from notifications import preferences
from notifications.models import (
    Delivery,
    Preference,
    ReminderRule,
    Sequence,
    SequenceRun,
    SequenceStep,
)
from tests.factories import EventFactory, UserFactory
from tests.helpers import count_queries, login
from tests.test_permissions import MEMBERS, ROLES, TEAM

pytestmark = pytest.mark.django_db

_keys = itertools.count()


def delivery(**fields):
    values = {
        "key": f"test:{next(_keys)}",
        "category": "reminder",
        "kind": "message",
        "email": "camille@exemple.fr",
        "due_at": timezone.now(),
        "status": "sent",
        "subject": "Rappel : webinaire",
        "text": "Bonjour, le webinaire commence demain.",
        **fields,
    }
    if values.get("recipient") is not None:
        values["email"] = values["recipient"].email
    return Delivery.objects.create(**about_event(values))


def about_event(values):
    """`event=`: the delivery is about that event, as the agenda plans its reminders."""
    event = values.pop("event", None)
    if event is not None:
        values.update(topic=reminders.topic(event), topic_label=reminders.topic_label(event))
    return values


def sequence_with_step():
    sequence = Sequence.objects.create(name="Bienvenue", trigger="arrival")
    step = SequenceStep.objects.create(
        sequence=sequence, delay_days=0, subject="Bienvenue {prenom}", body="Bonjour {prenom} !"
    )
    return sequence, step


def text(response):
    return html.unescape(response.content.decode())


def assert_page(response):
    assert response.status_code == 200
    assert b"!!UNKNOWN" not in response.content


# --- Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(client, user_for_role, role):
    person = UserFactory()
    failed = delivery(recipient=person, status="failed", html="<p>Bonjour</p>")
    sequence, step = sequence_with_step()
    rule = ReminderRule.objects.first()
    login(client, user_for_role(role))
    pages = {
        reverse("notifications:outbox"): TEAM,
        reverse("notifications:delivery", args=[failed.pk]): TEAM,
        reverse("notifications:delivery_html", args=[failed.pk]): TEAM,
        reverse("notifications:person", args=[person.pk]): TEAM,
        reverse("notifications:rules"): TEAM,
        reverse("notifications:sequences"): TEAM,
        reverse("notifications:sequence_create"): TEAM,
        reverse("notifications:sequence", args=[sequence.pk]): TEAM,
        reverse("notifications:sequence_edit", args=[sequence.pk]): TEAM,
        reverse("notifications:step_create", args=[sequence.pk]): TEAM,
        reverse("notifications:step_edit", args=[step.pk]): TEAM,
        reverse("notification_preferences"): MEMBERS,
    }
    for url, allowed in pages.items():
        response = client.get(url)
        expected = 200 if role in allowed else (302 if role == "anonymous" else 403)
        assert response.status_code == expected, (url, role)
        if expected == 200:
            assert b"!!UNKNOWN" not in response.content, url
        elif role == "anonymous":
            assert response["Location"].startswith(reverse("account_login"))

    denied = 302 if role == "anonymous" else 403
    allowed = role in TEAM
    actions = [
        (reverse("notifications:delivery_resend", args=[failed.pk]), {}),
        (reverse("notifications:rule_action", args=[rule.pk]), {"action": "deactivate"}),
        (reverse("notifications:step_toggle", args=[step.pk]), {"action": "retire"}),
    ]
    for url, data in actions:
        response = client.post(url, data)
        assert response.status_code == (302 if allowed else denied), (url, role)
    failed.refresh_from_db()
    rule.refresh_from_db()
    step.refresh_from_db()
    assert (failed.status == "due") is allowed
    assert rule.is_active is not allowed
    assert step.is_active is not allowed


def test_manage_index_and_profile_link_to_the_pages(client, staff, coordinator):
    client.force_login(staff)
    page = text(client.get(reverse("manage:index")))
    for name in ("outbox", "rules", "sequences"):
        assert reverse(f"notifications:{name}") in page
    client.force_login(coordinator)
    assert reverse("notification_preferences") in text(client.get(reverse("profile")))


# --- Outbox -------------------------------------------------------------------------------------


def test_outbox_filters_and_counts(client, staff):
    webinar, regional_day = EventFactory(title="Webinaire plaidoyer"), EventFactory()
    camille = UserFactory(first_name="Camille", last_name="Durand")
    delivery(recipient=camille, status="failed", event=webinar, subject="Rappel plaidoyer")
    delivery(recipient=camille, status="sent", category="onboarding", subject="Bienvenue")
    delivery(email="invite@mairie.fr", status="cancelled", category="event", event=regional_day)
    delivery(status="due", event=regional_day, subject="Rappel journée")
    client.force_login(staff)
    url = reverse("notifications:outbox")

    def subjects(**params):
        response = client.get(url, params)
        assert_page(response)
        return {d.subject for d in response.context["page"]}, response

    everything, response = subjects()
    assert len(everything) == 4
    assert {v: n for v, _, n in response.context["status_counts"]} == {
        "due": 1,
        "sending": 0,
        "sent": 1,
        "failed": 1,
        "cancelled": 1,
    }
    assert subjects(status="failed")[0] == {"Rappel plaidoyer"}
    assert subjects(category="onboarding")[0] == {"Bienvenue"}
    assert subjects(person="durand camille")[0] == {"Rappel plaidoyer", "Bienvenue"}
    assert subjects(person="MAIRIE")[0] == {"Rappel : webinaire"}
    found, response = subjects(topic=reminders.topic(regional_day))
    assert found == {"Rappel : webinaire", "Rappel journée"}
    # Counts follow the other filters, so that a status link narrows what is shown.
    counts = {v: n for v, _, n in response.context["status_counts"]}
    assert counts["cancelled"] == 1 and counts["due"] == 1 and counts["failed"] == 0
    # A wrong value is shown on the form and ignored, never a 500.
    found, response = subjects(status="nimporte", topic="abc")
    assert len(found) == 4
    assert response.context["filter"].form.errors


def test_outbox_shows_what_went_or_is_going_first_then_what_is_planned(client, staff):
    now = timezone.now()
    delivery(subject="Ancien", due_at=now - timezone.timedelta(days=3))
    delivery(subject="Dans un mois", due_at=now + timezone.timedelta(days=30))
    delivery(subject="Dans trois jours", due_at=now + timezone.timedelta(days=3))
    delivery(subject="Maintenant", due_at=now - timezone.timedelta(seconds=1))
    client.force_login(staff)
    page = client.get(reverse("notifications:outbox")).context["page"]
    assert [d.subject for d in page] == ["Maintenant", "Ancien", "Dans trois jours", "Dans un mois"]


def test_delivery_detail_shows_the_message_and_the_error(client, staff):
    failed = delivery(
        status="failed",
        attempts=6,
        last_error="SMTP 554: boîte pleine",
        text="Bonjour <Camille>",
        html="<p>Bonjour</p><script>alert(1)</script>",
        attachments=[["webinaire.ics", "BEGIN:VCALENDAR", "text/calendar"]],
    )
    client.force_login(staff)
    response = client.get(reverse("notifications:delivery", args=[failed.pk]))
    assert_page(response)
    raw = response.content.decode()
    assert "Bonjour &lt;Camille&gt;" in raw  # the text, escaped
    assert "alert(1)" not in raw  # the HTML is not inlined
    page = text(response)
    assert "SMTP 554: boîte pleine" in page
    assert "webinaire.ics" in page and "Renvoyer" in page

    html = client.get(reverse("notifications:delivery_html", args=[failed.pk]))
    assert html.status_code == 200
    policy = html["Content-Security-Policy"]
    assert policy.startswith("sandbox") and "default-src 'none'" in policy
    assert "script-src" not in policy


def test_resend_a_failed_delivery(client, staff, mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory()
    failed = delivery(recipient=person, status="failed", attempts=6, last_error="Timeout")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:delivery_resend", args=[failed.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:delivery", args=[failed.pk])
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert failed.attempts == 1
    assert [m.to for m in mailoutbox] == [[person.email]]
    # A non-essential e-mail carries the one-click unsubscribe link of this app.
    assert "/notifications/desinscription/" in mailoutbox[0].extra_headers["List-Unsubscribe"]
    page = text(client.get(response["Location"]))
    assert "est relancé" in page


def test_a_sent_delivery_is_not_resent(client, staff):
    sent = delivery(status="sent", sent_at=timezone.now())
    client.force_login(staff)
    response = client.post(reverse("notifications:delivery_resend", args=[sent.pk]), follow=True)
    assert "Seul un envoi en échec ou annulé" in text(response)
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_person_timeline(client, staff):
    person = UserFactory(first_name="Inès", last_name="Moreau")
    now = timezone.now()
    delivery(recipient=person, subject="Premier", due_at=now - timezone.timedelta(days=2))
    delivery(
        recipient=person,
        subject="Sauté",
        status="cancelled",
        last_error="La personne a désactivé cette catégorie d'e-mails.",
        due_at=now - timezone.timedelta(days=1),
    )
    delivery(recipient=person, subject="À venir", status="due", due_at=now + timezone.timedelta(1))
    delivery(recipient=UserFactory(), subject="Quelqu'un d'autre")
    sequence, _ = sequence_with_step()
    SequenceRun.objects.create(
        sequence=sequence,
        person=person,
        started_at=now - timezone.timedelta(days=10),
        stopped_at=now,
        stop_reason="Onboarding désactivé par la personne.",
    )
    client.force_login(staff)
    response = client.get(reverse("notifications:person", args=[person.pk]))
    assert_page(response)
    assert [d.subject for d in response.context["page"]] == ["Premier", "Sauté", "À venir"]
    page = text(response)
    assert "La personne a désactivé cette catégorie" in page
    assert "Bienvenue" in page and "Onboarding désactivé par la personne." in page
    assert client.get(reverse("notifications:person", args=[999999])).status_code == 404


# --- Reminder rules -----------------------------------------------------------------------------


def rule_form(**overrides):
    return {"kind": "elected_meeting", "days_before": "3", "hours_before": "0", **overrides}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"days_before": "0", "hours_before": "0"}, "Indiquez au moins un jour ou une heure"),
        ({"days_before": "-2"}, "ne peut pas être négatif"),
        ({"hours_before": "-1"}, "ne peut pas être négatif"),
        ({"hours_before": "30"}, "Au-delà de 23 heures"),
        ({"days_before": "deux"}, "Saisissez un nombre entier"),
        (
            {"kind": "webinar", "days_before": "7"},
            "Il existe déjà un rappel J-7 pour « Webinaire »",
        ),
        ({"kind": "inconnu"}, "Sélectionnez un choix valide"),
    ],
)
def test_rule_bad_input_is_refused_clearly(client, staff, overrides, message):
    ReminderRule.objects.get_or_create(kind="webinar", days_before=7, hours_before=0)
    before = list(ReminderRule.objects.values_list("pk", "kind", "days_before", "hours_before"))
    client.force_login(staff)
    response = client.post(reverse("notifications:rules"), rule_form(**overrides))
    assert_page(response)
    assert message in text(response)
    after = list(ReminderRule.objects.values_list("pk", "kind", "days_before", "hours_before"))
    assert after == before


def test_rule_add_deactivate_reactivate_delete(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("notifications:rules"),
        rule_form(days_before="1", hours_before="2", with_video_link="on"),
        follow=True,
    )
    assert "Rappel J-1 H-2 ajouté" in text(response)
    rule = ReminderRule.objects.get(kind="elected_meeting", days_before=1, hours_before=2)
    assert rule.with_video_link and not rule.with_access and rule.is_active

    action = reverse("notifications:rule_action", args=[rule.pk])
    client.post(action, {"action": "deactivate"})
    rule.refresh_from_db()
    assert not rule.is_active
    client.post(action, {"action": "activate"})
    rule.refresh_from_db()
    assert rule.is_active
    response = client.post(action, {"action": "unknown"}, follow=True)
    assert "Action inconnue" in text(response)
    client.post(action, {"action": "delete"})
    assert not ReminderRule.objects.filter(pk=rule.pk).exists()


def test_rules_listed_per_event_kind(client, staff):
    ReminderRule.objects.get_or_create(kind="tutoring", days_before=0, hours_before=3)
    client.force_login(staff)
    response = client.get(reverse("notifications:rules"))
    assert_page(response)
    kinds = dict(response.context["kinds"])
    assert "H-3" in [rule.label for rule in kinds["Séance de tutorat"]]


# --- Onboarding sequences -----------------------------------------------------------------------


def test_sequence_create_and_edit(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("notifications:sequence_create"),
        {
            "name": "Nouveaux CLS",
            "trigger": "arrival",
            "segments": ["CLS", "ASV"],
            "newcomers_only": "on",
            "is_active": "on",
        },
    )
    sequence = Sequence.objects.get(name="Nouveaux CLS")
    assert response["Location"] == reverse("notifications:sequence", args=[sequence.pk])
    assert sorted(sequence.segments) == ["ASV", "CLS"]
    assert sequence.newcomers_only

    response = client.post(
        reverse("notifications:sequence_edit", args=[sequence.pk]),
        {"name": "Nouveaux CLS", "trigger": "activation", "segments": []},
    )
    assert response.status_code == 302
    sequence.refresh_from_db()
    assert sequence.trigger == "activation"
    assert sequence.segments == [] and not sequence.is_active

    Sequence.objects.create(name="Autre", trigger="arrival")
    response = client.post(
        reverse("notifications:sequence_create"), {"name": "Autre", "trigger": "arrival"}
    )
    assert_page(response)
    assert "Une séquence porte déjà ce nom." in text(response)


def test_sequence_list_counts_steps_and_running_runs(client, staff):
    sequence, _ = sequence_with_step()
    SequenceStep.objects.create(
        sequence=sequence, delay_days=7, subject="Retirée", body="…", is_active=False
    )
    now = timezone.now()
    for person in (UserFactory(), UserFactory()):
        SequenceRun.objects.create(sequence=sequence, person=person, started_at=now)
    SequenceRun.objects.create(
        sequence=sequence, person=UserFactory(), started_at=now, stopped_at=now
    )
    client.force_login(staff)
    response = client.get(reverse("notifications:sequences"))
    assert_page(response)
    listed = response.context["sequences"][0]
    assert (listed.step_count, listed.running_count) == (1, 2)


def step_form(**overrides):
    return {
        "delay_days": "7",
        "subject": "Une semaine déjà, {prenom}",
        "body": "Bonjour {prenom}, voici l'agenda : {lien_agenda}",
        "condition": "",
        "is_active": "on",
        **overrides,
    }


def test_step_with_an_unknown_variable_is_refused(client, staff):
    sequence, _ = sequence_with_step()
    client.force_login(staff)
    url = reverse("notifications:step_create", args=[sequence.pk])
    response = client.post(url, step_form(body="Bonjour {prénom} de {commune_inconnue}"))
    assert_page(response)
    page = text(response)
    assert "Variable inconnue : {commune_inconnue}" in page
    assert sequence.steps.count() == 1
    response = client.post(url, step_form(subject="Salut {surnom}"))
    assert "Variable inconnue : {surnom}" in text(response)
    assert sequence.steps.count() == 1
    response = client.post(url, step_form(delay_days="-1"))
    assert "Le délai ne peut pas être négatif." in text(response)
    assert sequence.steps.count() == 1
    # The variables are listed next to the form.
    assert "{lien_agenda}" in text(client.get(url))


def test_step_add_edit_retire(client, staff):
    sequence, step = sequence_with_step()
    client.force_login(staff)
    response = client.post(
        reverse("notifications:step_create", args=[sequence.pk]), step_form(), follow=True
    )
    assert_page(response)
    added = sequence.steps.get(delay_days=7)
    assert added.subject == "Une semaine déjà, {prenom}"
    client.post(
        reverse("notifications:step_edit", args=[added.pk]),
        step_form(delay_days="10", condition="profile_incomplete"),
    )
    added.refresh_from_db()
    assert (added.delay_days, added.condition) == (10, "profile_incomplete")

    toggle = reverse("notifications:step_toggle", args=[step.pk])
    response = client.post(toggle, {"action": "retire"}, follow=True)
    step.refresh_from_db()
    assert not step.is_active and "retirée" in text(response)
    client.post(toggle, {"action": "activate"})
    step.refresh_from_db()
    assert step.is_active


# --- Preferences and unsubscribe ----------------------------------------------------------------


def test_preferences_show_essential_as_always_on_and_save(client, coordinator):
    client.force_login(coordinator)
    url = reverse("notification_preferences")
    response = client.get(url)
    assert_page(response)
    page = text(response)
    assert "Inscriptions et changements d'événements" in page and "disabled" in page
    assert set(response.context["form"].initial["receive"]) == {
        c.value for c in preferences.OPTIONAL
    }

    response = client.post(url, {"receive": ["reminder", "news"]})
    assert response.status_code == 302
    muted = set(Preference.objects.get(user=coordinator).muted)
    assert muted == {c.value for c in preferences.OPTIONAL} - {"reminder", "news"}
    response = client.get(url)
    assert set(response.context["form"].initial["receive"]) == {"reminder", "news"}

    response = client.post(url, {"receive": ["account"]})  # essential: not a choice
    assert_page(response)
    assert set(Preference.objects.get(user=coordinator).muted) == muted


def test_unsubscribe_confirms_then_unsubscribes(client, coordinator):
    url = preferences.unsubscribe_url(coordinator, "reminder")
    response = client.get(url)
    assert_page(response)
    assert "Ne plus recevoir : Rappels d'événements" in text(response)
    assert not Preference.objects.filter(user=coordinator).exists()  # GET changes nothing

    response = client.post(url)
    assert_page(response)
    page = text(response)
    assert "Vous ne recevrez plus : Rappels d'événements" in page
    assert reverse("notification_preferences") in page
    assert "reminder" in Preference.objects.get(user=coordinator).muted


def test_one_click_unsubscribe_needs_no_csrf_token(coordinator):
    Preference.objects.create(user=coordinator, muted=["news"])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        preferences.unsubscribe_url(coordinator, "onboarding"),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert set(Preference.objects.get(user=coordinator).muted) == {"news", "onboarding"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_unsubscribe_token_is_a_french_400(client, coordinator, method):
    token = preferences.unsubscribe_token(coordinator, "reminder")
    forged = [
        token[:-3] + "xyz",
        "n-importe-quoi",
        signing.dumps({"u": coordinator.pk, "c": "reminder"}, salt="another.salt"),
        # A deleted account.
        signing.dumps({"u": 999999, "c": "reminder"}, salt=preferences.SALT),
    ]
    for bad in forged:
        response = getattr(client, method)(reverse("unsubscribe", args=[bad]))
        assert response.status_code == 400, bad
        assert "Ce lien de désinscription n'est pas valide" in text(response)
        assert b"!!UNKNOWN" not in response.content
    # Essential e-mails cannot be turned off, even with a signed token: no such link (404).
    essential = signing.dumps({"u": coordinator.pk, "c": "account"}, salt=preferences.SALT)
    assert getattr(client, method)(reverse("unsubscribe", args=[essential])).status_code == 404
    assert not Preference.objects.filter(user=coordinator).exists()


# --- Query counts -------------------------------------------------------------------------------


def add_deliveries(person, count):
    events = [EventFactory() for _ in range(3)]
    sequence = Sequence.objects.get_or_create(name="Bienvenue", trigger="arrival")[0]
    step = SequenceStep.objects.get_or_create(
        sequence=sequence, delay_days=0, subject="Bienvenue", body="Bonjour"
    )[0]
    run = SequenceRun.objects.create(
        sequence=sequence, person=person, started_at=timezone.now(), stopped_at=timezone.now()
    )
    rule = ReminderRule.objects.first()
    others = [UserFactory() for _ in range(3)]
    now = timezone.now()
    rows = []
    for i in range(count):
        about = (
            {"event": events[i % 3], "reminder": rule}
            if i % 2
            else {"run": run, "step": step, "category": "onboarding"}
        )
        recipient = person if i % 4 else others[i % 3]
        rows.append(
            Delivery(
                key=f"volume:{next(_keys)}",
                category=about.pop("category", "reminder"),
                kind="message",
                recipient=recipient,
                email=recipient.email,
                due_at=now - timezone.timedelta(minutes=i),
                status=["due", "sent", "failed", "cancelled"][i % 4],
                last_error="Motif" if i % 4 == 3 else "",
                subject=f"Envoi {i}",
                text="…",
                **about_event(about),
            )
        )
    Delivery.objects.bulk_create(rows)


def test_query_counts_do_not_grow_with_deliveries(client, staff):
    person = UserFactory()
    client.force_login(staff)
    urls = [
        reverse("notifications:outbox"),
        reverse("notifications:outbox") + "?status=failed&person=a",
        reverse("notifications:person", args=[person.pk]),
        reverse("notifications:sequences"),
        reverse("notifications:rules"),
    ]
    add_deliveries(person, 10)
    small = [count_queries(client, url) for url in urls]
    topic = Delivery.objects.exclude(topic="").first().topic
    small_event = count_queries(client, f"{urls[0]}?topic={topic}")
    add_deliveries(person, 190)
    large = [count_queries(client, url) for url in urls]
    assert small == large
    assert small_event == count_queries(client, f"{urls[0]}?topic={topic}")
    assert Delivery.objects.count() == 200


def test_outbox_subjects_are_listed_in_the_order_of_time_not_as_text(client, staff):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    december = EventFactory(title="Webinaire", starts_at=datetime(2026, 12, 15, 10, tzinfo=paris))
    january = EventFactory(title="Journée", starts_at=datetime(2027, 1, 5, 10, tzinfo=paris))
    for event in (january, december):
        delivery(event=event, due_at=event.starts_at - timedelta(days=1))
    login(client, staff)
    response = client.get(reverse("notifications:outbox"))
    labels = [label for _topic, label in response.context["filter"].form.fields["topic"].choices]
    assert labels == ["Tout", "15/12/2026 — Webinaire", "05/01/2027 — Journée"]
