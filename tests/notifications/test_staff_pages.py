"""The staff's delivery page: what the e-mail is comes first, internal keys wait in a
"Détails techniques" block; its title names the e-mail; an e-mail's HTML has a heading."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import messages
from notifications.models import Delivery
from tests.factories import UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_the_delivery_page_keeps_internal_keys_in_a_details_block(client, staff):
    person = UserFactory()
    delivery = Delivery.objects.create(
        key="reminder:event:42:registration:7:J-1",
        about="registration:8",
        topic="event:42",
        topic_label="Webinaire",
        category="reminder",
        kind="event_reminder",
        recipient=person,
        email=person.email,
        due_at=timezone.now(),
        subject="Rappel : webinaire demain",
    )
    login(client, staff)
    page = client.get(reverse("notifications:delivery", args=[delivery.pk])).content.decode()
    technical = re.search(r"<details.*?</details>", page, re.S).group(0)
    assert "Détails techniques" in technical
    for key in (delivery.key, "event_reminder", "registration:8"):
        assert key in technical
        assert page.count(key) == 1, key  # nowhere else on the page
    assert re.search(r"<title>Rappel : webinaire demain — envoi n° \d+ à ", page)


def test_an_email_s_html_has_a_heading():
    _subject, _text, html = messages.render_email(
        template="onboarding_step",
        context={"subject": "Bienvenue", "body": "Bonjour", "body_html": "<p>Bonjour</p>"},
    )
    assert re.search(r"<h1[^>]*>Réseau des coordinateurs santé Île-de-France</h1>", html)


def test_the_step_and_sequence_edit_pages_name_their_sequence(client, staff):
    from notifications.models import Sequence

    login(client, staff)
    titles = []
    for name in ("Bienvenue", "Activation"):
        step = Sequence.objects.create(name=name, trigger="arrival").steps.create(
            delay_days=3, subject="Votre profil", body="Bonjour"
        )
        page = client.get(reverse("notifications:step_edit", args=[step.pk])).content.decode()
        titles.append(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
        assert name in titles[-1]
    assert titles[0] != titles[1]


@pytest.mark.parametrize("body", ["x" * 20001, "Bonjour\x00"])
def test_a_step_body_is_bounded(client, staff, body):
    from notifications.forms import BODY_LENGTH
    from notifications.models import Sequence

    login(client, staff)
    step = Sequence.objects.create(name="Bienvenue", trigger="arrival").steps.create(
        delay_days=3, subject="Votre profil", body="Bonjour"
    )
    url = reverse("notifications:step_edit", args=[step.pk])
    assert f'maxlength="{BODY_LENGTH}"' in client.get(url).content.decode()
    response = client.post(
        url, {"delay_days": 3, "subject": "Votre profil", "body": body, "is_active": "on"}
    )
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.body == "Bonjour"
