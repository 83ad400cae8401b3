"""Contact: a message from one member to a peer, relayed by e-mail. Each row is also the
sender's record of what they sent, and what the rate limit counts."""

from django.conf import settings
from django.db import models

SUBJECT_MAX_LENGTH = 150
BODY_MAX_LENGTH = 5_000


class ContactMessage(models.Model):
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_messages_sent",
        verbose_name="expéditeur·rice",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_messages_received",
        verbose_name="destinataire",
    )
    subject = models.CharField("objet", max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField("message", max_length=BODY_MAX_LENGTH)
    # The e-mail that carries it (its `notifications.Delivery` key).
    delivery_key = models.CharField("envoi", max_length=200, blank=True)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "message à un pair"
        verbose_name_plural = "messages à des pairs"
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["sender", "sent_at"])]

    def __str__(self):
        return self.subject
