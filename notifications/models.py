"""Every e-mail the platform sends is a `Delivery` row before it is sent.

What is due is decided from these rows (never from a broker countdown), and the unique `key` makes
planning idempotent: planning twice, a retry or a duplicate task never sends twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from . import registry


class Category(models.TextChoices):
    ACCOUNT = "account", "Compte"
    EVENT = "event", "Inscriptions et changements d'événements"
    REMINDER = "reminder", "Rappels d'événements"
    FOLLOWUP = "followup", "Suites d'événements (remerciements, replays)"
    ONBOARDING = "onboarding", "Accompagnement des nouveaux"
    NEWS = "news", "Actualités du réseau"
    DIGEST = "digest", "Récapitulatifs"
    PEERS = "peers", "Messages et tutorat entre pairs"
    MUTUAL_HELP = "mutual_help", "Entraide : questions, réponses, commentaires"
    RESOURCES = "resources", "Mes demandes de documents (la Boussole…)"
    WEEKLY = "weekly", "Lettre de la semaine : nouveautés du réseau"


# Essential e-mails always go: a person cannot turn them off (a peer's message is turned off at
# its source: the profile's "Les pairs peuvent m'écrire").
ESSENTIAL = frozenset({Category.ACCOUNT, Category.EVENT, Category.PEERS, Category.RESOURCES})


class Delivery(models.Model):
    class Status(models.TextChoices):
        DUE = "due", "À envoyer"
        SENDING = "sending", "En cours d'envoi"
        SENT = "sent", "Envoyé"
        FAILED = "failed", "Échec"
        CANCELLED = "cancelled", "Annulé"

    PENDING = (Status.DUE, Status.SENDING)

    key = models.CharField("clé", max_length=200, unique=True)
    category = models.CharField("catégorie", max_length=20, choices=Category.choices)
    # What builds the message at send time (see notifications.messages.KINDS).
    kind = models.CharField("type", max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name="destinataire",
    )
    email = models.EmailField("adresse e-mail")
    # Where a reply goes, when not to the platform (a peer's message: to its sender).
    reply_to = models.EmailField("répondre à", blank=True)
    # What it is about, as "name:id" keys the domain that planned it understands (the engine
    # never follows them): `about` the object (a registration), `topic` what groups it (an event).
    about = models.CharField("à propos de", max_length=80, blank=True)
    topic = models.CharField("sujet", max_length=80, blank=True)
    topic_label = models.CharField("sujet (libellé)", max_length=300, blank=True)
    run = models.ForeignKey(
        "notifications.SequenceRun",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    step = models.ForeignKey(
        "notifications.SequenceStep",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    reminder = models.ForeignKey(
        "notifications.ReminderRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    due_at = models.DateTimeField("à envoyer le")
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.DUE)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur ou motif", blank=True)
    # When the dispatcher last put it on the queue, and when a worker took it.
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    # The message: rendered when it is planned (immediate e-mails) or when it is sent.
    subject = models.CharField("objet", max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "envoi"
        ordering = ["-due_at", "-pk"]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="due"), name="delivery_due_idx"),
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="delivery_sending_idx"
            ),
            models.Index(fields=["recipient", "due_at"]),
            models.Index(fields=["about", "status"]),
            models.Index(fields=["topic", "status"]),
        ]

    def __str__(self):
        return self.key

    @property
    def is_essential(self):
        return self.category in ESSENTIAL

    @property
    def topic_url(self):
        return registry.topic_url(self.topic)

    @property
    def message_id(self):
        """Stable per delivery: a message resent after a crash is recognised as the same."""
        return f"<envoi-{self.pk}@reseau-coordinateurs.promosante-idf.fr>"


class Preference(models.Model):
    """The categories of non-essential e-mails a person turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    muted = models.JSONField("catégories coupées", default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "préférences d'envoi"
        verbose_name_plural = "préférences d'envoi"

    def __str__(self):
        return str(self.user)


class ReminderRule(models.Model):
    """When to remind people of something that starts at a given time (an event of a kind: the
    kinds are registered by the domain that plans the reminders), relative to its start.

    `days_before` counts calendar days in Paris time (J-1 at 10:00 is the day before at 10:00, on
    both sides of a clock change); `hours_before` is then taken off in real time (H-1).
    """

    kind = models.CharField("pour", max_length=40)
    days_before = models.PositiveSmallIntegerField("jours avant", default=0)
    hours_before = models.PositiveSmallIntegerField("heures avant", default=0)
    with_video_link = models.BooleanField("avec le lien de visioconférence", default=False)
    with_access = models.BooleanField("avec l'adresse et l'accès", default=False)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "rappel d'événement"
        verbose_name_plural = "rappels d'événements"
        ordering = ["kind", "-days_before", "-hours_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "days_before", "hours_before"], name="one_reminder_per_offset"
            ),
            models.CheckConstraint(
                condition=Q(days_before__gt=0) | Q(hours_before__gt=0),
                name="reminder_before_start",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.label}"

    @property
    def label(self):
        parts = []
        if self.days_before:
            parts.append(f"J-{self.days_before}")
        if self.hours_before:
            parts.append(f"H-{self.hours_before}")
        return " ".join(parts)


class Sequence(models.Model):
    """A series of e-mails that accompany a person after a trigger (registered by the domains:
    an arrival on a post, an account activated…)."""

    name = models.CharField("nom", max_length=200, unique=True)
    trigger = models.CharField("déclencheur", max_length=40)
    # The segments (registered by the domains: scheme types) it is for; empty: everyone.
    segments = models.JSONField("publics", default=list, blank=True)
    newcomers_only = models.BooleanField(
        "seulement les nouveaux dans le métier",
        default=True,
        help_text="Ne pas accompagner une personne qui change seulement de poste.",
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "séquence d'accompagnement"
        verbose_name_plural = "séquences d'accompagnement"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def trigger_label(self):
        return registry.TRIGGERS.label(self.trigger)

    @property
    def segment_labels(self):
        return [registry.SEGMENTS.label(code) for code in self.segments]


class SequenceStep(models.Model):
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="steps")
    delay_days = models.PositiveSmallIntegerField("délai (jours après le déclencheur)")
    subject = models.CharField("objet", max_length=200)
    body = models.TextField(
        "texte",
        help_text="Markdown. Variables : {prenom}, {dispositifs}, {departement}, {lien_espace}…",
    )
    # A condition registered by a domain (empty: always sent).
    condition = models.CharField("condition", max_length=40, blank=True, default="")
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "étape"
        ordering = ["sequence", "delay_days", "pk"]

    def __str__(self):
        return f"{self.sequence} — J+{self.delay_days} {self.subject}"

    @property
    def condition_label(self):
        return registry.CONDITIONS.label(self.condition)


class SequenceRun(models.Model):
    """One person accompanied by one sequence, from `started_at` until stopped."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="runs")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sequence_runs"
    )
    # What started it, as a "name:id" key of the domain (the arrival: "tenure:12").
    source = models.CharField("origine", max_length=80, blank=True)
    started_at = models.DateTimeField("début")
    stopped_at = models.DateTimeField("arrêt", null=True, blank=True)
    stop_reason = models.CharField("motif de l'arrêt", max_length=200, blank=True)

    class Meta:
        verbose_name = "accompagnement"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "person"],
                condition=Q(stopped_at__isnull=True),
                name="one_running_sequence_per_person",
            )
        ]

    def __str__(self):
        return f"{self.sequence} — {self.person}"
