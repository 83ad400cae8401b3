"""A person sees the e-mails the platform sent them and those it plans to send, and reads
each one; nobody else's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, Sequence
from tests.factories import UserFactory
from tests.helpers import count_queries, login

pytestmark = pytest.mark.django_db


def delivery(person, n, **fields):
    return Delivery.objects.create(
        **{
            "key": f"own:{person.pk}:{n}",
            "category": "event",
            "kind": "message",
            "recipient": person,
            "email": person.email,
            "due_at": timezone.now() - timedelta(days=n),
            **fields,
        }
    )


def world(person, size=1):
    sequence = Sequence.objects.create(name=f"Bienvenue {person.pk}", trigger="arrival")
    step = sequence.steps.create(delay_days=7, subject="Bonjour {prenom}", body="Texte")
    run = sequence.runs.create(person=person, started_at=timezone.now())
    rows = {}
    for n in range(size):
        rows.setdefault("sent", []).append(
            delivery(
                person,
                n,
                status=Delivery.Status.SENT,
                sent_at=timezone.now() - timedelta(days=n),
                subject=f"Inscription confirmée n° {n}",
                text=f"Bonjour,\n\nvotre inscription n° {n} est confirmée.",
            )
        )
        rows.setdefault("planned", []).append(
            delivery(
                person,
                1000 + n,
                category="onboarding",
                kind="onboarding_step",
                run=run,
                step=step,
                due_at=timezone.now() + timedelta(days=7 + n),
            )
        )
    rows["cancelled"] = delivery(
        person, 5000, status=Delivery.Status.CANCELLED, subject="Annulé, jamais parti"
    )
    return rows


def test_a_person_sees_sent_and_planned_emails_and_reads_one(client, coordinator):
    rows = world(coordinator)
    login(client, coordinator)
    page = client.get(reverse("own_emails")).content.decode()
    assert "Inscription confirmée n° 0" in page
    # The planned step's real subject, filled for the person, never an internal label.
    assert f"Bonjour {coordinator.first_name}" in page
    assert "Accompagnement «" not in page and "J+7" not in page
    assert "Annulé, jamais parti" not in page
    assert reverse("notification_preferences") in page

    sent = client.get(reverse("own_email", args=[rows["sent"][0].pk])).content.decode()
    assert "votre inscription n° 0 est confirmée" in sent
    assert "<title>Inscription confirmée n° 0 — Mes e-mails" in sent
    planned = client.get(reverse("own_email", args=[rows["planned"][0].pk])).content.decode()
    assert "sera rédigé au moment de l'envoi" in planned
    assert "Sera envoyé à" in planned and "Envoyé à" not in planned
    assert f'<h1 class="h2">Bonjour {coordinator.first_name}</h1>' in planned
    assert "Envoyé à" in sent and "Sera envoyé à" not in sent
    assert client.get(reverse("own_email", args=[rows["cancelled"].pk])).status_code == 404


def test_nobody_reads_another_person_s_emails(client, coordinator):
    rows = world(UserFactory())
    login(client, coordinator)
    assert client.get(reverse("own_email", args=[rows["sent"][0].pk])).status_code == 404
    assert "Inscription confirmée" not in client.get(reverse("own_emails")).content.decode()


def test_the_account_menu_and_the_preferences_link_to_the_emails(client, coordinator):
    login(client, coordinator)
    url = reverse("own_emails")
    assert f'href="{url}"' in client.get(reverse("notification_preferences")).content.decode()
    assert f'class="dropdown-item" href="{url}"' in client.get(reverse("profile")).content.decode()


def test_the_page_runs_the_same_queries_at_two_sizes(client, coordinator):
    login(client, coordinator)
    world(coordinator, size=1)
    small = count_queries(client, reverse("own_emails"))
    world(UserFactory(), size=1)
    more = coordinator
    for n in range(2, 12):
        delivery(more, 100 + n, status=Delivery.Status.SENT, sent_at=timezone.now(), subject="x")
    assert count_queries(client, reverse("own_emails")) == small


def test_a_sent_email_shows_its_html_part_sanitised_not_raw_markdown(client, coordinator):
    sent = delivery(
        coordinator,
        1,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        subject="Bienvenue",
        text="*La boussole* vous attend.",
        html=(
            "<html><head><title>Bienvenue</title><style>p{color:red}</style></head><body>"
            '<table role="presentation" width="600"><tr><td style="padding:24px">'
            "<h1>Réseau des coordinateurs santé Île-de-France</h1>"
            "<p><em>La boussole</em> vous attend.</p><script>alert(1)</script>"
            '<p><a href="javascript:alert(1)">piège</a> <a href="https://exemple.fr/">lien</a></p>'
            "</td></tr></table></body></html>"
        ),
    )
    login(client, coordinator)
    page = client.get(reverse("own_email", args=[sent.pk])).content.decode()
    assert "<em>La boussole</em> vous attend." in page
    assert "*La boussole*" not in page
    assert "alert(1)" not in page and "color:red" not in page
    assert "padding:24px" not in page and 'role="presentation"' not in page
    assert 'href="https://exemple.fr/"' in page
    assert "Réseau des coordinateurs santé" not in page.split("<main", 1)[-1].split("</main>")[0]
