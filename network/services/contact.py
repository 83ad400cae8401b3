"""Contact: a member writes to a peer through the platform; the message is relayed by e-mail.

The recipient's address stays hidden from the sender (they see it only if the recipient shows
it in the directory, or replies); a reply goes to the sender (`Reply-To`), as the e-mail says.
Each message is a `ContactMessage` row: the sender's record of what they sent, and what the
rate limit counts (in the database, so that it holds across processes).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from notifications.emails import send_email_on_commit

from ..models import DirectoryEntry, PeerProfile
from ..models.contact import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH, ContactMessage

# How many messages a person may send in a rolling window.
DAILY_LIMIT = 5
WINDOW = timedelta(days=1)


class ContactError(Exception):
    """A message the platform refuses; the French text says why, as it is shown."""


def contact_refusal(*, sender, recipient):
    """Why `sender` may not write to `recipient` at all (a French sentence), or None. The rate
    limit is checked when sending (`contact_message_send`)."""
    if sender.pk == recipient.pk:
        return "Vous ne pouvez pas vous écrire à vous-même."
    in_directory = DirectoryEntry.objects.filter(person=recipient).exists()
    if not recipient.is_active or not in_directory:
        return (
            f"{recipient.get_full_name()} n’est plus dans l’annuaire (départ du poste, ou choix "
            "de ne plus y apparaître) : la plateforme ne lui transmet plus de messages."
        )
    accepts = (
        PeerProfile.objects.filter(person=recipient)
        .values_list("accepts_messages", flat=True)
        .first()
    )
    if accepts is False:  # no PeerProfile yet: the default, messages accepted
        return (
            f"{recipient.get_full_name()} a choisi de ne pas recevoir de messages par la "
            "plateforme."
        )
    return None


def _rate_limit_refusal(sender, now):
    sent = list(
        ContactMessage.objects.filter(sender=sender, sent_at__gt=now - WINDOW)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
    )
    if len(sent) < DAILY_LIMIT:
        return None
    free_at = timezone.localtime(sent[len(sent) - DAILY_LIMIT] + WINDOW)
    day, hour = date_format(free_at, "j F"), date_format(free_at, r"H \h i")
    return (
        f"Vous avez déjà envoyé {DAILY_LIMIT} messages en 24 heures : c’est la limite, pour "
        "que chacun·e ne reçoive que des messages choisis. Vous pourrez en envoyer un nouveau "
        f"le {day} à {hour}."
    )


def messages_left_today(sender, now=None) -> int:
    """How many more messages `sender` may send now."""
    now = now or timezone.now()
    sent = ContactMessage.objects.filter(sender=sender, sent_at__gt=now - WINDOW).count()
    return max(DAILY_LIMIT - sent, 0)


def _clean(text, limit, what):
    text = (text or "").strip()
    if not text:
        raise ContactError(f"{what} est vide : écrivez quelques mots.")
    if len(text) > limit:
        raise ContactError(f"{what} est trop long : {limit} caractères au plus.")
    if "\x00" in text:
        raise ContactError(f"{what} contient un caractère invalide.")
    return text


@transaction.atomic
def contact_message_send(*, sender, recipient, subject, body) -> ContactMessage:
    """Send `body` from `sender` to `recipient` through the platform (an e-mail whose replies go
    to the sender), within the rate limit. Raises ContactError, with nothing written."""
    subject = " ".join(_clean(subject, SUBJECT_MAX_LENGTH, "L’objet").split())
    body = _clean(body, BODY_MAX_LENGTH, "Le message")
    if refusal := contact_refusal(sender=sender, recipient=recipient):
        raise ContactError(refusal)
    # One sender at a time: two messages sent at once are counted one after the other.
    get_user_model().objects.select_for_update().filter(pk=sender.pk).first()
    if refusal := _rate_limit_refusal(sender, timezone.now()):
        raise ContactError(refusal)
    message = ContactMessage.objects.create(
        sender=sender, recipient=recipient, subject=subject, body=body
    )
    delivery = send_email_on_commit(
        to=recipient.email,
        recipient=recipient,
        template="peer_message",
        context={
            "message": message,
            "sender": sender,
            "recipient": recipient,
            "profile_url": settings.SITE_URL + reverse("profile"),
            "sender_url": settings.SITE_URL + reverse("peer", args=[sender.pk])
            if DirectoryEntry.objects.filter(person=sender).exists()
            else "",
        },
        key=f"contact:{message.pk}",
        about=f"contact:{message.pk}",
        category="peers",
        reply_to=sender.email,
    )
    message.delivery_key = delivery.key
    message.save(update_fields=["delivery_key"])
    return message
