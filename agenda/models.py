import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Lower, NullIf

from core.text import de


def new_token():
    return secrets.token_urlsafe(32)


class WorkingGroup(models.Model):
    """A group of coordinators building something together over a series of meetings."""

    name = models.CharField("nom", max_length=200, unique=True)
    description = models.TextField("description", blank=True)
    organiser = models.ForeignKey(
        "accounts.Organisation",
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
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name="organisé par",
    )
    departments = models.ManyToManyField(
        "territories.Department",
        blank=True,
        related_name="events",
        verbose_name="départements",
        help_text="Vide : offre régionale.",
    )
    topics = models.ManyToManyField("coordinators.Topic", blank=True, verbose_name="thématiques")
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
    def is_online(self):
        """Held in a video tool (a webinar, or any event with a video link): its participants
        file can be imported."""
        return self.kind == self.Kind.WEBINAR or bool(self.video_url)

    @property
    def online_tool(self):
        """Where its participants file comes from, as in "Import du webinaire"."""
        return "du webinaire" if self.kind == self.Kind.WEBINAR else "de la visioconférence"

    @property
    def uid(self):
        return f"evenement-{self.pk}@reseau-coordinateurs.promosante-idf.fr"


class RegistrationQuerySet(models.QuerySet):
    def matching(self, search):
        """Every word of `search` (five at most) in a first name, a last name or an e-mail: the
        person's, or the guest's."""
        registrations = self
        for word in search.split()[:5]:
            registrations = registrations.filter(
                Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
                | Q(person__email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return registrations

    @staticmethod
    def _name_keys():
        blank = models.Value("")
        last_name = Lower(Coalesce(NullIf("person__last_name", blank), "last_name"))
        first_name = Lower(Coalesce(NullIf("person__first_name", blank), "first_name"))
        return [last_name, first_name]

    def by_name(self):
        """By last name then first name, the person's or the guest's, case ignored."""
        return self.order_by(*self._name_keys(), "pk")

    def with_waitlist_rank(self):
        """`waitlist_rank`: a waitlisted registration's place in the queue (1 = next to be
        offered a seat), whatever else filters the list; None for the others."""
        waiting = Registration.Status.WAITLISTED
        ahead = (
            Registration.objects.filter(event=models.OuterRef("event"), status=waiting)
            .filter(
                Q(created_at__lt=models.OuterRef("created_at"))
                | Q(created_at=models.OuterRef("created_at"), pk__lte=models.OuterRef("pk"))
            )
            .values("event")
            .annotate(rank=models.Count("pk"))
            .values("rank")
        )
        return self.annotate(
            waitlist_rank=models.Case(
                models.When(status=waiting, then=models.Subquery(ahead[:1])),
                default=None,
                output_field=models.IntegerField(),
            )
        )

    def in_roster_order(self):
        """Seats by name, then the waitlist in queue order, then cancellations by name."""
        group = models.Case(
            models.When(status__in=Registration.SEATED, then=models.Value(0)),
            models.When(status=Registration.Status.WAITLISTED, then=models.Value(1)),
            default=models.Value(2),
        )
        queue = models.Case(
            models.When(status=Registration.Status.WAITLISTED, then="created_at"),
            default=None,
        )
        return self.order_by(group, queue, *self._name_keys(), "pk")


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
    structure = models.CharField("structure", max_length=200, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False) & ~Q(status="cancelled"),
                name="one_active_registration_per_person",
            ),
            # Guests without an address (recorded by hand) are told apart by name, not here.
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(person__isnull=True) & ~Q(status="cancelled") & ~Q(email=""),
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
    """A personal link for a manager or an elected official: it registers the invited address,
    then manages that registration (confirm an offered seat, cancel) until the event ends."""

    class State(models.TextChoices):
        SENT = "sent", "Envoyée"
        REGISTERED = "registered", "Inscrit·e"
        CANCELLED = "cancelled", "Inscription annulée"
        EXPIRED = "expired", "Expirée"

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

    def state_on(self, now):
        """Where the invitation stands (its registration loaded, for lists)."""
        if self.registration_id and self.registration.status != Registration.Status.CANCELLED:
            return self.State.REGISTERED
        if self.expires_at <= now:
            return self.State.EXPIRED
        if self.registration_id:
            return self.State.CANCELLED
        return self.State.SENT


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
        return f"Agenda {de(str(self.user))}"
