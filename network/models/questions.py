"""Mutual help: a question asked to the network, tagged with competencies and topics, and the
peers' answers; the asker marks the useful one."""

from django.conf import settings
from django.db import models

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000


class Question(models.Model):
    """A question to peers. Peers whose offer matches its tags hear of it (at once or in the
    daily digest, `PeerProfile.question_alerts`); `document` is its searchable text (title,
    body, tags and answers, folded by `core.text.fold`), indexed on PostgreSQL (migration 0007)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name="posée par",
    )
    title = models.CharField("question", max_length=TITLE_MAX_LENGTH)
    body = models.TextField("précisions", max_length=BODY_MAX_LENGTH)
    competencies = models.ManyToManyField(
        "competencies.Competency", blank=True, related_name="+", verbose_name="compétences"
    )
    topics = models.ManyToManyField(
        "coordinators.Topic", blank=True, related_name="+", verbose_name="thématiques"
    )
    useful_answer = models.OneToOneField(
        "network.Answer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réponse utile",
    )
    answer_count = models.PositiveIntegerField("réponses", default=0)
    # Closed by its asker: still read and searched, no longer answered.
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    created_at = models.DateTimeField("posée le", auto_now_add=True)
    # When the daily digest took it (peers who chose the digest heard of it then).
    digested_at = models.DateTimeField("récapitulatif préparé le", null=True, blank=True)
    # Folded (title in `name`, which counts more in the ranking).
    name = models.CharField("titre pour la recherche", max_length=TITLE_MAX_LENGTH)
    document = models.TextField("texte cherché")

    class Meta:
        verbose_name = "question aux pairs"
        verbose_name_plural = "questions aux pairs"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="network_question_recent"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(digested_at__isnull=True),
                name="network_question_undigested",
            ),
        ]

    def __str__(self):
        return self.title


class Answer(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name="question"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name="auteur·rice",
    )
    body = models.TextField("réponse", max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)

    class Meta:
        verbose_name = "réponse à une question"
        verbose_name_plural = "réponses aux questions"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Réponse de {self.author} à « {self.question} »"
