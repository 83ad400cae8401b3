"""Tutoring of newcomers: a pair (a newcomer and an experienced coordinator), asked for by the
newcomer or proposed by staff, answered by the tutor; once active, its sessions (agenda events
of kind "tutoring"), its notes (private to the pair and staff), and its end with feedback."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class TutoringPair(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Demande en attente"
        ACTIVE = "active", "Tutorat en cours"
        DECLINED = "declined", "Demande déclinée"
        WITHDRAWN = "withdrawn", "Demande retirée"
        ENDED = "ended", "Tutorat terminé"

    OPEN = (Status.REQUESTED, Status.ACTIVE)

    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tutoring_as_newcomer",
        verbose_name="nouveau·elle coordinateur·rice",
    )
    # Empty while a request waits for staff to propose someone.
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tutoring_as_tutor",
        verbose_name="tuteur·rice",
    )
    status = models.CharField(
        "état", max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    message = models.TextField("message de la demande", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposé par",
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    answer = models.TextField("réponse du tuteur ou de la tutrice", blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    started_on = models.DateField("début", null=True, blank=True)
    ended_on = models.DateField("fin", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="terminé par",
    )
    newcomer_feedback = models.TextField("bilan du nouveau ou de la nouvelle", blank=True)
    tutor_feedback = models.TextField("bilan du tuteur ou de la tutrice", blank=True)

    class Meta:
        verbose_name = "tutorat"
        verbose_name_plural = "tutorats"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer"],
                condition=Q(status__in=["requested", "active"]),
                name="one_open_tutoring_per_newcomer",
            ),
            models.CheckConstraint(
                condition=Q(tutor__isnull=True) | ~Q(tutor=F("newcomer")),
                name="tutor_is_not_the_newcomer",
            ),
        ]
        indexes = [models.Index(fields=["tutor", "status"])]

    def __str__(self):
        return f"Tutorat de {self.newcomer} par {self.tutor or '(à proposer)'}"

    def is_member(self, user_id):
        return user_id in (self.newcomer_id, self.tutor_id)


class TutoringSession(models.Model):
    """A planned session of a pair: an agenda event of kind "tutoring" both are registered to
    (so the agenda's reminders are planned for them)."""

    pair = models.ForeignKey(
        TutoringPair, on_delete=models.CASCADE, related_name="sessions", verbose_name="tutorat"
    )
    event = models.OneToOneField(
        "agenda.Event",
        on_delete=models.CASCADE,
        related_name="tutoring_session",
        verbose_name="événement",
    )

    class Meta:
        verbose_name = "séance de tutorat"
        verbose_name_plural = "séances de tutorat"

    def __str__(self):
        return str(self.event)


class TutoringNote(models.Model):
    """A note of the pair, read by the pair and staff only."""

    pair = models.ForeignKey(
        TutoringPair, on_delete=models.CASCADE, related_name="notes", verbose_name="tutorat"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="auteur·rice",
    )
    text = models.TextField("note")
    created_at = models.DateTimeField("écrite le", auto_now_add=True)

    class Meta:
        verbose_name = "note de tutorat"
        verbose_name_plural = "notes de tutorat"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note — {self.pair}"
