from decimal import Decimal

from django.conf import settings
from django.db import models


class Background(models.Model):
    """Initial training or career of a coordinator: a list staff edit."""

    name = models.CharField("libellé", max_length=100, unique=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "parcours initial"
        verbose_name_plural = "parcours initiaux"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A health or methodology topic coordinators work on (staff edit the list)."""

    name = models.CharField("libellé", max_length=100, unique=True)

    class Meta:
        verbose_name = "thématique"
        ordering = ["name"]

    def __str__(self):
        return self.name


class CoordinatorProfile(models.Model):
    """A coordinator's presence on the platform. Sign-ups stay pending until staff approve."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente de validation"
        APPROVED = "approved", "Validé"
        REFUSED = "refused", "Refusé"

    class DiplomaLevel(models.TextChoices):
        BAC2 = "bac+2", "Bac+2"
        BAC3 = "bac+3", "Licence (bac+3)"
        BAC5 = "bac+5", "Master (bac+5)"
        BAC8 = "bac+8", "Doctorat"
        OTHER = "other", "Autre"

    # Fields a coordinator may show in the directory; name, schemes and commune always show.
    DIRECTORY_FIELDS = [
        ("email", "Adresse e-mail"),
        ("phone", "Téléphone"),
        ("job", "Poste et structure employeuse"),
        ("background", "Parcours initial et diplôme"),
        ("seniority", "Ancienneté sur le poste"),
        ("topics", "Thématiques"),
        ("can_help_with", "Je peux aider sur"),
        ("looking_for", "Je recherche"),
    ]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_profile",
        verbose_name="personne",
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinator_profiles",
        verbose_name="commune d'exercice",
    )
    employer = models.CharField("structure employeuse", max_length=200, blank=True)
    job_title = models.CharField("intitulé du poste", max_length=200, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    background = models.ForeignKey(
        Background,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="parcours initial",
    )
    diploma_level = models.CharField(
        "niveau de diplôme", max_length=10, choices=DiplomaLevel.choices, blank=True
    )
    topics = models.ManyToManyField(Topic, blank=True, verbose_name="thématiques")
    can_help_with = models.TextField("je peux aider sur", blank=True)
    looking_for = models.TextField("je recherche", blank=True)
    needs_environment = models.TextField(
        "mes besoins vis-à-vis de mon environnement",
        blank=True,
        help_text="Élus, hiérarchie, autres services…",
    )
    needs_skills = models.TextField(
        "mes besoins en compétences",
        blank=True,
        help_text="Promotion de la santé, coordination, plaidoyer, méthodologie…",
    )
    needs_peers = models.TextField(
        "mes besoins de liens entre pairs", blank=True, help_text="Échanges, entraide, tutorat…"
    )
    directory_fields = models.JSONField("champs visibles dans l'annuaire", default=list, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé par",
    )
    reviewed_at = models.DateTimeField("validé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "profil de coordinateur·rice"
        verbose_name_plural = "profils de coordinateur·rice"

    def __str__(self):
        return str(self.user)

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    def shows(self, field):
        return field in self.directory_fields

    # Template-friendly forms of `shows` (templates cannot pass arguments).
    shows_email = property(lambda self: self.shows("email"))
    shows_phone = property(lambda self: self.shows("phone"))
    shows_job = property(lambda self: self.shows("job"))
    shows_background = property(lambda self: self.shows("background"))
    shows_seniority = property(lambda self: self.shows("seniority"))
    shows_topics = property(lambda self: self.shows("topics"))
    shows_can_help_with = property(lambda self: self.shows("can_help_with"))
    shows_looking_for = property(lambda self: self.shows("looking_for"))


class Scheme(models.Model):
    """A local health scheme (dispositif): ASV, CLS or CLSM."""

    class Kind(models.TextChoices):
        ASV = "ASV", "Atelier Santé Ville"
        CLS = "CLS", "Contrat local de santé"
        CLSM = "CLSM", "Conseil local de santé mentale"

    class Status(models.TextChoices):
        ACTIVE = "active", "En cours"
        RENEWING = "renewing", "En renouvellement"
        ENDED = "ended", "Terminé"

    class CarrierKind(models.TextChoices):
        COMMUNE = "commune", "Commune"
        INTERCOMMUNALITY = "intercommunality", "EPT / EPCI"
        CCAS = "ccas", "CCAS"
        HOSPITAL = "hospital", "Établissement hospitalier"
        OTHER = "other", "Autre"

    kind = models.CharField("type", max_length=4, choices=Kind.choices)
    name = models.CharField("nom", max_length=200)
    department = models.ForeignKey(
        "territories.Department",
        on_delete=models.PROTECT,
        related_name="schemes",
        verbose_name="département",
    )
    communes = models.ManyToManyField(
        "territories.Commune", related_name="schemes", verbose_name="communes couvertes"
    )
    carrier_name = models.CharField("structure porteuse", max_length=200)
    carrier_kind = models.CharField(
        "type de structure porteuse", max_length=20, choices=CarrierKind.choices
    )
    status = models.CharField("statut", max_length=10, choices=Status.choices, default="active")
    signed_on = models.DateField("date de signature", null=True, blank=True)
    ends_on = models.DateField("date de fin ou de renouvellement", null=True, blank=True)
    qpv_names = models.TextField(
        "quartiers prioritaires (QPV)", blank=True, help_text="Un quartier par ligne."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "dispositif"
        ordering = ["department__code", "name"]
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(signed_on__isnull=True)
                | models.Q(ends_on__gte=models.F("signed_on")),
                name="scheme_ends_after_signature",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def qpv_list(self):
        return [line.strip() for line in self.qpv_names.splitlines() if line.strip()]


class Post(models.Model):
    """A coordination post. Filled or vacant is derived from tenures; "unknown" is explicit."""

    schemes = models.ManyToManyField(Scheme, related_name="posts", verbose_name="dispositifs")
    fte = models.DecimalField("ETP", max_digits=3, decimal_places=2, default=1)
    opened_on = models.DateField("poste ouvert le")
    closed_on = models.DateField("poste supprimé le", null=True, blank=True)
    status_unknown = models.BooleanField(
        "statut inconnu",
        default=False,
        help_text="Cochez quand on ne sait pas si le poste est occupé.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "poste de coordination"
        verbose_name_plural = "postes de coordination"
        ordering = ["pk"]

    def __str__(self):
        # What people call it (the pages use `selectors.post_label`, which also ranks it).
        names = " · ".join(scheme.name for scheme in self.schemes.all()) if self.pk else ""
        return f"Poste de coordination ({names})" if names else "Poste de coordination"


class Tenure(models.Model):
    """Someone holds a post from `started_on` to `ended_on` (open while None)."""

    class EndReason(models.TextChoices):
        OTHER_POST = "other_post", "Autre poste dans la même collectivité"
        LEFT = "left", "Départ vers une autre structure"
        CONTRACT_END = "contract_end", "Fin de contrat"
        RETIREMENT = "retirement", "Retraite"
        LONG_LEAVE = "long_leave", "Congé de longue durée"
        POST_REMOVED = "post_removed", "Suppression du poste"
        OTHER = "other", "Autre"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="tenures",
        verbose_name="personne",
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="tenures", verbose_name="poste"
    )
    started_on = models.DateField("prise de poste")
    ended_on = models.DateField("départ", null=True, blank=True)
    end_reason = models.CharField(
        "motif du départ", max_length=20, choices=EndReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "prise de poste"
        verbose_name_plural = "prises de poste"
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_tenure_per_post",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="tenure_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["started_on"]), models.Index(fields=["ended_on"])]

    def __str__(self):
        return f"{self.person} — {self.post} ({self.started_on:%d/%m/%Y})"


class PostClaim(models.Model):
    """A coordinator says "this is my post"; staff confirm, which records the arrival."""

    class Status(models.TextChoices):
        PENDING = "pending", "À confirmer"
        ACCEPTED = "accepted", "Confirmée"
        REFUSED = "refused", "Refusée"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="post_claims",
        verbose_name="personne",
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="claims", verbose_name="poste"
    )
    started_on = models.DateField("en poste depuis le")
    message = models.TextField("message", blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "demande de rattachement à un poste"
        verbose_name_plural = "demandes de rattachement à un poste"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "post"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_person_and_post",
            )
        ]

    def __str__(self):
        return f"{self.person} → {self.post}"


class HandoverFile(models.Model):
    """The living file of a post (dossier de passation). It belongs to the post, not a person."""

    SECTIONS = [
        ("partners", "Partenaires et contacts"),
        ("steering", "Instances de pilotage"),
        ("diagnosis", "Diagnostic local de santé"),
        ("action_plan", "Plan d'action"),
        ("documents", "Documents clés"),
        ("ongoing_actions", "Actions en cours"),
        ("tips", "Conseils à la personne qui arrive"),
    ]

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, related_name="handover", verbose_name="poste"
    )
    partners = models.TextField("partenaires et contacts", blank=True)
    steering = models.TextField("instances de pilotage", blank=True)
    diagnosis = models.TextField("diagnostic local de santé", blank=True)
    action_plan = models.TextField("plan d'action", blank=True)
    documents = models.TextField(
        "documents clés", blank=True, help_text="Titres et liens vers les documents partagés."
    )
    ongoing_actions = models.TextField("actions en cours", blank=True)
    tips = models.TextField("conseils à la personne qui arrive", blank=True)
    updated_at = models.DateTimeField("mis à jour le", null=True, blank=True)
    updated_by_name = models.CharField(
        "mis à jour par", max_length=300, blank=True, help_text="Gardé si le compte est fermé."
    )
    completion_requested_on = models.DateField("complétion demandée le", null=True, blank=True)

    class Meta:
        verbose_name = "dossier de passation"
        verbose_name_plural = "dossiers de passation"

    def __str__(self):
        return f"Dossier de passation — {self.post}"

    @property
    def filled_sections(self):
        return [label for name, label in self.SECTIONS if getattr(self, name).strip()]


class Vacancy(models.Model):
    """A job offer for a vacant post (offre d'emploi), public while open: recruiting faster is
    one answer to turnover. One open vacancy per post; it closes when an arrival is recorded on
    the post, by hand, or by itself after its closing date (`coordinators.vacancies`)."""

    class Status(models.TextChoices):
        OPEN = "open", "Ouverte"
        CLOSED = "closed", "Close"

    class CloseReason(models.TextChoices):
        FILLED = "filled", "poste pourvu (une arrivée est enregistrée)"
        BY_HAND = "by_hand", "retirée par la personne qui l’a publiée ou par l’équipe"
        EXPIRED = "expired", "date limite de candidature passée"

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="vacancies", verbose_name="poste"
    )
    title = models.CharField("intitulé de l’offre", max_length=200)
    description = models.TextField("description du poste", help_text="Markdown.")
    fte = models.DecimalField("ETP", max_digits=3, decimal_places=2)
    employer = models.CharField("employeur", max_length=200)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="lieu de travail",
    )
    contact_name = models.CharField("contact", max_length=200)
    contact_email = models.EmailField("adresse e-mail pour candidater", blank=True)
    contact_url = models.URLField("adresse web pour candidater", max_length=500, blank=True)
    closes_on = models.DateField("date limite de candidature")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="publiée par",
    )
    published_at = models.DateTimeField("publiée le")
    status = models.CharField("statut", max_length=10, choices=Status.choices, default="open")
    closed_on = models.DateField("close le", null=True, blank=True)
    close_reason = models.CharField(
        "motif de clôture", max_length=10, choices=CloseReason.choices, blank=True
    )

    class Meta:
        verbose_name = "offre de poste vacant"
        verbose_name_plural = "offres de postes vacants"
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "closes_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(status="open"),
                name="one_open_vacancy_per_post",
            ),
            models.CheckConstraint(
                condition=models.Q(fte__gte=Decimal("0.1"), fte__lte=Decimal("1")),
                name="vacancy_fte_between_0_1_and_1",
            ),
            models.CheckConstraint(
                condition=~models.Q(contact_email="", contact_url=""),
                name="vacancy_has_a_way_to_apply",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_on__isnull=True, close_reason="")
                | (models.Q(status="closed", closed_on__isnull=False) & ~models.Q(close_reason="")),
                name="vacancy_closed_with_date_and_reason",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def fte_label(self):
        """ "0,8", "1": the FTE as French writes it."""
        return f"{self.fte.normalize():f}".replace(".", ",")
