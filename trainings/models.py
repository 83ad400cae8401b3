import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone


def new_token():
    return secrets.token_urlsafe(32)


class WorkingGroup(models.Model):
    """A group of coordinators building something together over a series of meetings."""

    name = models.CharField("nom", max_length=200, unique=True)
    description = models.TextField("description", blank=True)
    organiser = models.ForeignKey(
        "coordinators.Organisation",
        on_delete=models.PROTECT,
        related_name="working_groups",
        verbose_name="structure qui anime",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="working_groups", blank=True, verbose_name="membres"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "groupe de travail"
        verbose_name_plural = "groupes de travail"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Event(models.Model):
    class Kind(models.TextChoices):
        REGIONAL_DAY = "regional_day", "Journée régionale"
        WEBINAR = "webinar", "Webinaire"
        SITE_VISIT = "site_visit", "Visite de site"
        WORKING_GROUP = "working_group", "Réunion de groupe de travail"
        ELECTED_MEETING = "elected_meeting", "Rencontre avec les élu·es"
        TUTORING = "tutoring", "Séance de tutorat"
        DEPARTMENTAL = "departmental", "Atelier départemental"

    class Audience(models.TextChoices):
        ALL = "all", "Tous les coordinateur·rices"
        NEWCOMERS = "newcomers", "Nouveaux coordinateur·rices"
        CLS_RENEWAL = "cls_renewal", "CLS en renouvellement"
        GUESTS = "guests", "Hiérarchie et élu·es (invité·es)"
        PARTNERS = "partners", "Partenaires"

    class Status(models.TextChoices):
        PUBLISHED = "published", "Publié"
        CANCELLED = "cancelled", "Annulé"

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True, help_text="Markdown accepté.")
    is_welcome_day = models.BooleanField("journée d'accueil des nouveaux", default=False)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    location = models.CharField("lieu", max_length=300, blank=True)
    video_url = models.URLField(
        "lien de visioconférence", blank=True, help_text="Visible des seules personnes inscrites."
    )
    access_info = models.TextField(
        "accès et informations pratiques",
        blank=True,
        help_text="Transports, entrée, accessibilité : envoyé avec les rappels.",
    )
    replay_url = models.URLField(
        "lien du replay", blank=True, help_text="Envoyé après l'événement avec le remerciement."
    )
    capacity = models.PositiveIntegerField(
        "places", null=True, blank=True, help_text="Vide : sans limite."
    )
    registration_opens_at = models.DateTimeField(
        "ouverture des inscriptions", null=True, blank=True
    )
    registration_closes_at = models.DateTimeField("clôture des inscriptions", null=True, blank=True)
    audiences = models.JSONField("publics", default=list)
    organiser = models.ForeignKey(
        "coordinators.Organisation",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name="organisé par",
    )
    departments = models.ManyToManyField(
        "coordinators.Department",
        blank=True,
        related_name="events",
        verbose_name="départements",
        help_text="Vide : offre régionale.",
    )
    topics = models.ManyToManyField("coordinators.Topic", blank=True, verbose_name="thématiques")
    offer = models.ForeignKey(
        "Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="offre du catalogue",
        help_text="Une présence à cette séance valide les étapes de parcours de l'offre.",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="groupe de travail",
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name="coordinateur·rice qui accueille",
    )
    preparation_notes = models.TextField("notes de préparation", blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    cancellation_reason = models.TextField("motif d'annulation", blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="Version pour les calendriers.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["kind", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def uid(self):
        return f"evenement-{self.pk}@reseau-coordinateurs.promosante-idf.fr"


class Registration(models.Model):
    """A seat (or a place in the waitlist) of a person or an invited guest at an event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Inscrit·e"
        WAITLISTED = "waitlisted", "Sur liste d'attente"
        OFFERED = "offered", "Place proposée, à confirmer"
        CANCELLED = "cancelled", "Annulée"

    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
    SEATED = (Status.CONFIRMED, Status.OFFERED)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name="événement"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name="personne",
    )
    # Guests (managers, elected officials) have no account.
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    function = models.CharField("fonction", max_length=200, blank=True)
    commune = models.ForeignKey(
        "coordinators.Commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="invité·e par",
    )
    status = models.CharField("statut", max_length=10, choices=Status.choices)
    offered_until = models.DateTimeField("place à confirmer avant", null=True, blank=True)
    excused = models.BooleanField("excusé·e", default=False)
    attended = models.BooleanField("présent·e", null=True, blank=True)
    checked_in_at = models.DateTimeField("arrivée enregistrée le", null=True, blank=True)
    attendance_minutes = models.PositiveIntegerField("minutes de connexion", null=True, blank=True)
    created_at = models.DateTimeField("inscrit·e le", auto_now_add=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False) & ~Q(status="cancelled"),
                name="one_active_registration_per_person",
            ),
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(person__isnull=True) & ~Q(status="cancelled"),
                name="one_active_registration_per_guest_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self):
        return f"{self.display_name} — {self.event}"

    @property
    def is_guest(self):
        return self.person_id is None

    @property
    def greeting_name(self):
        return self.person.first_name if self.person_id and self.person else self.first_name

    @property
    def display_name(self):
        if self.person_id and self.person:
            return self.person.get_full_name()
        return f"{self.first_name} {self.last_name}".strip() or self.email


class GuestInvitation(models.Model):
    """A personal, single-use link for a manager or an elected official to register."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="guest_invitations")
    email = models.EmailField("adresse e-mail")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    function = models.CharField("fonction", max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("valable jusqu'au")
    used_at = models.DateTimeField(null=True, blank=True)
    registration = models.OneToOneField(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        verbose_name = "invitation d'un·e invité·e"
        verbose_name_plural = "invitations d'invité·es"

    def __str__(self):
        return f"{self.first_name} {self.last_name} — {self.event}"


class Feedback(models.Model):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    satisfaction = models.PositiveSmallIntegerField("satisfaction (1 à 5)")
    usefulness = models.PositiveSmallIntegerField("utilité pour ma pratique (1 à 5)")
    comment = models.TextField("commentaire", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "avis"
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__range=(1, 5)) & Q(usefulness__range=(1, 5)),
                name="feedback_scores_1_to_5",
            )
        ]

    def __str__(self):
        return f"Avis — {self.registration}"


class CalendarFeed(models.Model):
    """The secret address of a person's calendar of registrations; renewable."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "agenda personnel"

    def __str__(self):
        return f"Agenda de {self.user}"


# --- Competencies, offers and pathways ------------------------------------------------------


class CompetencyDomain(models.Model):
    name = models.CharField("nom", max_length=200, unique=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "domaine de compétences"
        verbose_name_plural = "domaines de compétences"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Competency(models.Model):
    """A competency of the framework, with four levels described in plain words."""

    LEVELS = [(1, "Découverte"), (2, "Mise en pratique"), (3, "Maîtrise"), (4, "Transmission")]

    domain = models.ForeignKey(
        CompetencyDomain,
        on_delete=models.PROTECT,
        related_name="competencies",
        verbose_name="domaine",
    )
    name = models.CharField("nom", max_length=200, unique=True)
    description = models.TextField("description", blank=True)
    level_1 = models.TextField("niveau 1 — découverte")
    level_2 = models.TextField("niveau 2 — mise en pratique")
    level_3 = models.TextField("niveau 3 — maîtrise")
    level_4 = models.TextField("niveau 4 — transmission")
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "compétence"
        ordering = ["domain__position", "position", "name"]

    def __str__(self):
        return self.name

    @property
    def levels(self):
        """[(level, label, description)] from 1 to 4."""
        return [(level, label, getattr(self, f"level_{level}")) for level, label in self.LEVELS]


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
        "coordinators.Organisation",
        related_name="offers",
        verbose_name="proposée par",
        help_text="Plusieurs structures : offre co-construite.",
    )
    departments = models.ManyToManyField(
        "coordinators.Department",
        blank=True,
        related_name="offers",
        verbose_name="départements",
        help_text="Vide : offre régionale.",
    )
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="offers", verbose_name="compétences travaillées"
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "offre"
        ordering = ["title"]

    def __str__(self):
        return self.title


class Pathway(models.Model):
    """A training pathway coordinators join at any time; dates count from their own start."""

    title = models.CharField("titre", max_length=200, unique=True)
    description = models.TextField("description", blank=True, help_text="Markdown accepté.")
    audiences = models.JSONField("publics", default=list)
    is_ordered = models.BooleanField(
        "étapes dans l'ordre",
        default=False,
        help_text="Chaque étape obligatoire s'ouvre quand la précédente est faite.",
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
        VALIDATED = "validated", "Acquis validés par l'équipe"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    step = models.ForeignKey(PathwayStep, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField("faite le", default=timezone.now)
    source = models.CharField("comment", max_length=12, choices=Source.choices)
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
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
