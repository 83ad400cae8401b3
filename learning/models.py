"""Learning: the catalogue of offers, pathways and their progress, self-assessments.

Learning stands on the agenda (an event is a session of an offer; attendance completes steps),
on the library (a reading completes a step) and on the competency framework.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Audience(models.TextChoices):
    """Who an offer or a pathway is for."""

    ALL = "all", "Tous les coordinateur·rices"
    NEWCOMERS = "newcomers", "Nouveaux coordinateur·rices"
    CLS_RENEWAL = "cls_renewal", "CLS en renouvellement"
    ASV = "ASV", "Coordinateur·rices ASV"
    CLS = "CLS", "Coordinateur·rices CLS"
    CLSM = "CLSM", "Coordinateur·rices CLSM"


class Offer(models.Model):
    """An item of the catalogue: what the regional and departmental providers offer."""

    class Kind(models.TextChoices):
        REGIONAL_DAY = "regional_day", "Journée régionale"
        WEBINAR = "webinar", "Webinaire"
        APPROPRIATION = "appropriation", "Temps d'appropriation d'un concept ou d'un outil"
        WORKING_GROUP = "working_group", "Groupe de travail"
        SITE_VISIT = "site_visit", "Visite de site"
        TUTORING = "tutoring", "Tutorat"
        ELEARNING = "elearning", "Ressource en ligne"
        ELECTED = "elected", "Temps des élu·es"
        WORKSHOP = "workshop", "Atelier départemental"

    class Permanence(models.TextChoices):
        PERMANENT = "permanent", "Offre pérenne"
        ONE_OFF = "one_off", "Offre ponctuelle"

    title = models.CharField("titre", max_length=200, unique=True)
    description = models.TextField("description", blank=True, help_text="Markdown accepté.")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    permanence = models.CharField(
        "dans le temps", max_length=10, choices=Permanence.choices, default=Permanence.PERMANENT
    )
    audiences = models.JSONField("publics", default=list)
    providers = models.ManyToManyField(
        "accounts.Organisation",
        related_name="offers",
        verbose_name="proposée par",
        help_text="Plusieurs structures : offre co-construite.",
    )
    departments = models.ManyToManyField(
        "territories.Department",
        blank=True,
        related_name="offers",
        verbose_name="départements",
        help_text="Vide : offre régionale.",
    )
    competencies = models.ManyToManyField(
        "competencies.Competency",
        blank=True,
        related_name="offers",
        verbose_name="compétences travaillées",
    )
    events = models.ManyToManyField(
        "agenda.Event",
        through="OfferSession",
        blank=True,
        related_name="offers",
        verbose_name="séances",
    )
    resources = models.ManyToManyField(
        "resources.Resource",
        blank=True,
        related_name="offers",
        verbose_name="ressources",
        help_text="Les ressources de la bibliothèque qui font partie de l'offre.",
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "offre"
        ordering = ["title"]

    def __str__(self):
        return self.title


class OfferSession(models.Model):
    """An event of the agenda held as a session of an offer (one offer per event at most): being
    present at it completes the pathway steps of the offer."""

    event = models.OneToOneField(
        "agenda.Event",
        on_delete=models.CASCADE,
        related_name="offer_session",
        verbose_name="événement",
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="sessions", verbose_name="offre"
    )

    class Meta:
        verbose_name = "séance d'une offre"
        verbose_name_plural = "séances des offres"

    def __str__(self):
        return f"{self.offer} — {self.event}"


class Pathway(models.Model):
    """A training pathway coordinators join at any time; dates count from their own start."""

    title = models.CharField("titre", max_length=200, unique=True)
    description = models.TextField("description", blank=True, help_text="Markdown accepté.")
    audiences = models.JSONField("publics", default=list)
    is_ordered = models.BooleanField(
        "étapes dans l'ordre",
        default=False,
        help_text="Les lectures et activités obligatoires s'ouvrent l'une après l'autre ; une "
        "séance ne bloque pas les étapes qui la suivent.",
    )
    is_active = models.BooleanField("ouvert", default=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["position", "title"]

    def __str__(self):
        return self.title


class PathwayStep(models.Model):
    class Kind(models.TextChoices):
        EVENT = "event", "Participer à une séance"
        RESOURCE = "resource", "Lire une ressource"
        ACTIVITY = "activity", "Activité avec une courte réflexion"
        TUTORING = "tutoring", "Tutorat"

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("ordre", default=0)
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    title = models.CharField("titre", max_length=200)
    instructions = models.TextField("consignes", blank=True, help_text="Markdown accepté.")
    offer = models.ForeignKey(
        Offer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name="offre",
        help_text="Pour une séance : toute séance de cette offre compte.",
    )
    resource = models.ForeignKey(
        "resources.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name="ressource",
    )
    is_required = models.BooleanField("obligatoire", default=True)
    unlock_after = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="s'ouvre après",
    )
    added_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField("retirée le", null=True, blank=True)

    class Meta:
        verbose_name = "étape"
        ordering = ["pathway", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="event", offer__isnull=False, resource__isnull=True)
                | Q(kind="resource", resource__isnull=False, offer__isnull=True)
                | Q(kind__in=["activity", "tutoring"], resource__isnull=True),
                name="step_points_to_what_its_kind_needs",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_retired(self):
        return self.retired_at is not None


class Enrolment(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    started_at = models.DateTimeField("commencé le", default=timezone.now)
    left_at = models.DateTimeField("quitté le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription à un parcours"
        verbose_name_plural = "inscriptions à des parcours"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "person"],
                condition=Q(left_at__isnull=True),
                name="one_running_enrolment_per_pathway",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.pathway}"


class StepCompletion(models.Model):
    class Source(models.TextChoices):
        ATTENDANCE = "attendance", "Présence enregistrée"
        READING = "reading", "Ressource lue"
        DECLARED = "declared", "Déclarée"
        TUTORING = "tutoring", "Tutorat en cours"
        VALIDATED = "validated", "Acquis validés par l'équipe"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    step = models.ForeignKey(PathwayStep, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField("faite le", default=timezone.now)
    source = models.CharField("comment", max_length=12, choices=Source.choices)
    registration = models.ForeignKey(
        "agenda.Registration", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reflection = models.TextField("réflexion", blank=True)

    class Meta:
        verbose_name = "étape faite"
        verbose_name_plural = "étapes faites"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "step"], name="one_completion_per_step")
        ]

    def __str__(self):
        return f"{self.enrolment} — {self.step}"


class PriorLearningRequest(models.Model):
    """A coordinator asks staff to count a step as done from what they already did."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="prior_learning_requests"
    )
    step = models.ForeignKey(
        PathwayStep, on_delete=models.CASCADE, related_name="prior_learning_requests"
    )
    justification = models.TextField("justification")
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField("réponse", blank=True)

    class Meta:
        verbose_name = "demande de validation d'acquis"
        verbose_name_plural = "demandes de validation d'acquis"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "step"],
                condition=Q(status="pending"),
                name="one_pending_request_per_step",
            )
        ]

    def __str__(self):
        return f"{self.enrolment} — {self.step}"


class SelfAssessment(models.Model):
    """A coordinator rates each competency (1 to 4), at enrolment and every six months."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments"
    )
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "auto-évaluation"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self):
        return f"{self.person} — {self.created_at:%d/%m/%Y}"


class SelfAssessmentRating(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="ratings"
    )
    level = models.PositiveSmallIntegerField("niveau")

    class Meta:
        verbose_name = "niveau"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="one_rating_per_competency"
            ),
            models.CheckConstraint(condition=Q(level__range=(1, 4)), name="rating_level_1_to_4"),
        ]

    def __str__(self):
        return f"{self.competency} : {self.level}"
