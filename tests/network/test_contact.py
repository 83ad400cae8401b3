"""Contact: a message to a peer through the platform, relayed by e-mail (the recipient's address
hidden, replies to the sender), rate-limited, refused clearly when it cannot go."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from network.models.contact import ContactMessage
from network.services import directory_sync, peer_exchanges_set, peer_offers_set
from network.services.contact import DAILY_LIMIT, ContactError, contact_message_send
from notifications.models import Delivery
from notifications.services import build_email
from tests.helpers import login
from tests.learning.pathway_factories import CompetencyFactory

from .directory_factories import person_in_post

pytestmark = pytest.mark.django_db

PROFILE = reverse("profile")
SENT = reverse("peer_messages")


@pytest.fixture
def sender():
    return person_in_post(first_name="Awa", last_name="Diallo").user


@pytest.fixture
def recipient():
    """Julien shows nothing: his address must never reach the sender."""
    return person_in_post(
        first_name="Julien",
        last_name="Moreau",
        commune_code="95585",
        department_code="95",
        shows=["seniority"],
    ).user


def write(client, recipient, subject="Tutorat", body="Bonjour, pourrions-nous échanger ?"):
    return client.post(
        reverse("peer_contact", args=[recipient.pk]), {"subject": subject, "body": body}
    )


def test_a_message_is_relayed_by_email_and_a_reply_goes_to_the_sender(
    client, sender, recipient, django_capture_on_commit_callbacks
):
    login(client, sender)
    with django_capture_on_commit_callbacks(execute=True):
        response = write(client, recipient, body="Comment avez-vous <b>convaincu</b> vos élus ?")

    assert response.status_code == 302
    assert response.url == reverse("peer", args=[recipient.pk])
    message = ContactMessage.objects.get()
    assert (message.sender, message.recipient, message.subject) == (sender, recipient, "Tutorat")
    delivery = Delivery.objects.get(key=message.delivery_key)
    assert (delivery.email, delivery.recipient, delivery.reply_to, delivery.category) == (
        recipient.email,
        recipient,
        sender.email,
        "peers",  # essential: turned off at its source, the profile's "Les pairs peuvent m'écrire"
    )
    [email] = mail.outbox
    assert email.to == [recipient.email]
    assert email.subject.endswith("Awa Diallo vous écrit : Tutorat")
    assert f"Reply-To: {sender.email}" in email.message().as_string()
    assert "Comment avez-vous <b>convaincu</b> vos élus ?" in email.body
    assert "répondez simplement à cet e-mail" in email.body
    assert "Vous pouvez désactiver ces messages dans votre profil" in email.body
    assert f"http://testserver{PROFILE}" in email.body or PROFILE in email.body
    html = email.alternatives[0][0]
    assert "&lt;b&gt;convaincu&lt;/b&gt;" in html  # the sender's text, escaped
    assert f'{PROFILE}"' in html and "désactiver ces messages dans votre profil" in html

    page = client.get(response.url).content.decode()
    assert "Votre message est parti" in page
    sent = client.get(SENT).content.decode()
    assert "Tutorat" in sent and "Julien Moreau" in sent


def test_the_recipient_address_stays_hidden_unless_shown(client, sender, recipient):
    login(client, sender)
    write(client, recipient)
    for url in (
        reverse("peer", args=[recipient.pk]),
        reverse("peer_contact", args=[recipient.pk]),
        SENT,
        reverse("directory"),
    ):
        page = client.get(url).content.decode()
        assert recipient.email not in page, url

    recipient.coordinator_profile.directory_fields = ["email"]
    recipient.coordinator_profile.save()
    assert recipient.email in client.get(reverse("peer", args=[recipient.pk])).content.decode()


def test_a_message_to_oneself_is_refused(client, sender):
    login(client, sender)
    page = client.get(reverse("peer_contact", args=[sender.pk])).content.decode()
    assert "Vous ne pouvez pas vous écrire à vous-même." in page
    assert 'name="body"' not in page

    response = write(client, sender)
    assert response.status_code == 200
    assert not ContactMessage.objects.exists() and not Delivery.objects.exists()
    with pytest.raises(ContactError, match="vous-même"):
        contact_message_send(sender=sender, recipient=sender, subject="a", body="b")


def test_a_person_who_turned_messages_off_gets_none(client, sender, recipient):
    peer_exchanges_set(person=recipient, accepts_messages=False)
    login(client, sender)

    peer_page = client.get(reverse("peer", args=[recipient.pk])).content.decode()
    assert "Julien Moreau a choisi de ne pas recevoir de messages par la plateforme." in peer_page
    assert reverse("peer_contact", args=[recipient.pk]) not in peer_page
    response = write(client, recipient)

    assert "a choisi de ne pas recevoir de messages" in response.content.decode()
    assert not ContactMessage.objects.exists() and not Delivery.objects.exists()


def test_a_person_who_left_gets_none(client, sender, recipient):
    login(client, sender)
    client.get(reverse("directory"))  # he is in the directory, then leaves his post
    recipient.tenures.update(ended_on=date.today() - timedelta(days=1))
    recipient.coordinator_profile.directory_fields = []
    recipient.coordinator_profile.save()

    assert client.get(reverse("peer", args=[recipient.pk])).status_code == 404
    page = client.get(reverse("peer_contact", args=[recipient.pk])).content.decode()
    assert "Julien Moreau n’est plus dans l’annuaire" in page
    write(client, recipient)
    assert not ContactMessage.objects.exists() and not Delivery.objects.exists()
    # Whoever calls the service (a form opened before he left) gets the same answer.
    with pytest.raises(ContactError, match="n’est plus dans l’annuaire"):
        contact_message_send(sender=sender, recipient=recipient, subject="a", body="b")


def test_the_rate_limit_is_counted_in_the_database(client, sender, recipient):
    login(client, sender)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(DAILY_LIMIT):
            assert write(client, recipient, subject=f"Message {i}").status_code == 302
        response = write(client, recipient, subject="Un de trop")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Vous avez déjà envoyé {DAILY_LIMIT} messages en 24 heures" in page
    free_at = timezone.localtime(start + timedelta(days=1))
    assert f"à {free_at:%H} h {free_at:%M}" in page
    assert ContactMessage.objects.count() == Delivery.objects.count() == DAILY_LIMIT
    sent = client.get(SENT).content.decode()
    assert "Encore 0 message possible sur 24 heures (5 au plus)." in sent
    # The form is no longer offered: the limit is said before anything is typed.
    form_page = client.get(reverse("peer_contact", args=[recipient.pk])).content.decode()
    assert "c’est la limite" in form_page and 'name="body"' not in form_page

    with time_machine.travel(start + timedelta(days=1, minutes=1), tick=False):
        assert write(client, recipient, subject="Le lendemain").status_code == 302
    assert ContactMessage.objects.count() == DAILY_LIMIT + 1


@pytest.mark.parametrize(
    ("subject", "body", "error"),
    [
        ("", "Bonjour", "Donnez un objet à votre message."),
        ("Objet", "   ", "Écrivez votre message."),
        ("Objet", "x" * 5_001, "5000"),
        ("x" * 151, "Bonjour", "150"),
        ("Objet", "Bonjour\x00", "Le caractère nul n’est pas autorisé."),
    ],
    ids=["no subject", "blank", "too long", "subject too long", "NUL"],
)
def test_bad_input_is_refused_in_french_with_nothing_saved(
    client, sender, recipient, subject, body, error
):
    login(client, sender)
    response = write(client, recipient, subject=subject, body=body)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page or error in page.replace("\u202f", "").replace("\xa0", "")  # 5 000
    assert not ContactMessage.objects.exists() and not Delivery.objects.exists()


def test_the_service_refuses_bad_input_whoever_calls_it(sender, recipient):
    directory_sync()
    for subject, body in (("", "b"), ("a", ""), ("a", "x" * 5_001), ("a", "b\x00")):
        with pytest.raises(ContactError):
            contact_message_send(sender=sender, recipient=recipient, subject=subject, body=body)
    assert not ContactMessage.objects.exists()


def test_a_subject_never_adds_a_header(sender, recipient, django_capture_on_commit_callbacks):
    directory_sync()
    with django_capture_on_commit_callbacks(execute=True):
        contact_message_send(
            sender=sender, recipient=recipient, subject="Salut\r\nBcc: x@exemple.fr", body="b"
        )
    source = build_email(Delivery.objects.get()).message().as_string()
    assert "\nBcc:" not in source
    assert "Salut Bcc: x@exemple.fr" in mail.outbox[0].subject


def test_partners_see_peers_of_their_territory_and_write_to_none(client, recipient, dd93, crpv95):
    url = reverse("peer", args=[recipient.pk])
    login(client, dd93)
    assert client.get(url).status_code == 404  # a Val-d'Oise coordinator: not revealed
    assert client.get(reverse("peer_contact", args=[recipient.pk])).status_code == 403
    login(client, crpv95)
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("peer_contact", args=[recipient.pk]) not in page.content.decode()


def test_sent_messages_are_ones_own(client, sender, recipient):
    other = person_in_post(first_name="Inès", last_name="Autre").user
    directory_sync()
    contact_message_send(sender=other, recipient=recipient, subject="Pas à vous", body="b")
    contact_message_send(sender=sender, recipient=recipient, subject="Le mien", body="b")
    login(client, sender)
    page = client.get(SENT).content.decode()
    assert "Le mien" in page and "Pas à vous" not in page


# Values no other text of a page contains: on a peer's page only if shown.
MARKERS = {
    "job": {"job_title": "Zorglubiste en chef", "employer": "Structure Bzzlpqx"},
    "phone": {"phone": "01 23 45 67 89"},
    "can_help_with": {"can_help_with": "Le plaidoyer quixotesque"},
    "looking_for": {"looking_for": "Une méthode xylophonique"},
}


def test_a_peers_page_shows_only_what_they_show(client, sender):
    values = {name: value for fields in MARKERS.values() for name, value in fields.items()}
    hidden = person_in_post(last_name="Cachée", scheme_name="CLS de Bobigny", **values).user
    offered, sought = (
        CompetencyFactory(name="Marqueur offert"),
        CompetencyFactory(name="Marqueur cherché"),
    )
    peer_offers_set(person=hidden, offered_competencies=[offered], sought_competencies=[sought])
    login(client, sender)
    url = reverse("peer", args=[hidden.pk])

    page = client.get(url).content.decode()
    assert "Cachée" in page and "CLS de Bobigny" in page and "Saint-Denis (93)" in page
    for value in [*values.values(), hidden.email, "Marqueur offert", "Marqueur cherché"]:
        assert value not in page, value
    assert "Coordinateur·rice depuis" not in page
    assert "!!UNKNOWN" not in page

    profile = hidden.coordinator_profile
    profile.directory_fields = [key for key, _label in profile.DIRECTORY_FIELDS]
    profile.save()
    page = client.get(url).content.decode()
    for value in [*values.values(), hidden.email, "Marqueur offert", "Marqueur cherché"]:
        assert value in page, value


def test_the_email_links_to_the_senders_page(sender, recipient, django_capture_on_commit_callbacks):
    directory_sync()
    with django_capture_on_commit_callbacks(execute=True):
        contact_message_send(sender=sender, recipient=recipient, subject="Bonjour", body="b")
    assert reverse("peer", args=[sender.pk]) in mail.outbox[0].body


def test_other_emails_have_no_reply_to(sender):
    delivery = Delivery.objects.create(
        key="autre:1",
        category="account",
        kind="message",
        email=sender.email,
        due_at=timezone.now(),
        subject="Bienvenue",
        text="Bonjour",
    )
    email = build_email(delivery)
    assert email.reply_to == []
    assert "Reply-To" not in email.message().as_string()


def test_the_directory_offers_to_write_only_to_those_who_accept(client, sender, recipient):
    accepting = person_in_post(first_name="Inès", last_name="Bouaziz").user
    peer_exchanges_set(person=recipient, accepts_messages=False)
    login(client, sender)

    page = client.get(reverse("directory")).content.decode()

    assert reverse("peer_contact", args=[accepting.pk]) in page  # no settings yet: accepts
    assert reverse("peer_contact", args=[recipient.pk]) not in page
    assert reverse("peer", args=[recipient.pk]) in page  # still listed


def test_a_peers_page_speaks_french_and_says_when_nothing_more_is_shown(client, sender):
    ines = person_in_post(first_name="Inès", last_name="Bouaziz", shows=[]).user
    login(client, sender)

    page = client.get(reverse("peer", args=[ines.pk])).content.decode()

    assert "Ce qu’Inès partage" in page
    assert "Inès ne montre rien de plus dans l’annuaire pour l’instant." in page
    assert "sans que son adresse vous soit montrée" in page  # she does not show it
