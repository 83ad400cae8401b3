from django.conf import settings
from django.db import models


class DirectoryEntry(models.Model):
    """A person as the directory shows and finds them: one row per coordinator in post or who
    chose to appear, rebuilt from the register by `network.services.directory_sync`.

    It holds only what the person shows: `document` (the searchable text, folded by
    `core.text.fold`) leaves out every field they hid, and so do the filter columns
    (`seniority_since`, `background`, `topics`, `competencies` are empty when hidden). On
    PostgreSQL, `document` carries a full-text and a trigram index (migration 0002)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="directory_entry",
        verbose_name="personne",
    )
    profile = models.OneToOneField(
        "coordinators.CoordinatorProfile",
        on_delete=models.CASCADE,
        related_name="directory_entry",
        verbose_name="profil",
    )
    in_post = models.BooleanField("en poste", default=False)
    department = models.ForeignKey(
        "territories.Department",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="département",
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="commune",
    )
    schemes = models.ManyToManyField(
        "coordinators.Scheme", blank=True, related_name="+", verbose_name="dispositifs"
    )
    # Shown fields only: None / empty when the person hides them.
    seniority_since = models.DateField("coordinateur·rice depuis", null=True)
    background = models.ForeignKey(
        "coordinators.Background",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="parcours initial",
    )
    topics = models.ManyToManyField(
        "coordinators.Topic", blank=True, related_name="+", verbose_name="thématiques"
    )
    # The competencies the person can help with (`PeerProfile`), if they show "can_help_with".
    competencies = models.ManyToManyField(
        "competencies.Competency", blank=True, related_name="+", verbose_name="peut aider sur"
    )
    sort_name = models.CharField("nom pour le tri", max_length=320)
    name = models.CharField("nom pour la recherche", max_length=320)
    document = models.TextField("texte cherché")

    class Meta:
        verbose_name = "fiche de l'annuaire"
        verbose_name_plural = "fiches de l'annuaire"
        ordering = ["sort_name", "person_id"]
        indexes = [models.Index(fields=["sort_name", "person"])]

    def __str__(self):
        return self.sort_name


class PeerProfile(models.Model):
    """What a coordinator offers to peers and looks for, chosen among the competencies of the
    framework and the topics of the staff-edited list: what the network matches. The free
    sentences stay on `coordinators.CoordinatorProfile` (`can_help_with`, `looking_for`)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="peer_profile",
        verbose_name="personne",
    )
    offered_competencies = models.ManyToManyField(
        "competencies.Competency",
        blank=True,
        related_name="+",
        verbose_name="peut aider sur (compétences)",
    )
    offered_topics = models.ManyToManyField(
        "coordinators.Topic", blank=True, related_name="+", verbose_name="peut aider sur (thèmes)"
    )
    sought_competencies = models.ManyToManyField(
        "competencies.Competency",
        blank=True,
        related_name="+",
        verbose_name="recherche (compétences)",
    )
    sought_topics = models.ManyToManyField(
        "coordinators.Topic", blank=True, related_name="+", verbose_name="recherche (thèmes)"
    )
    # Contact: peers may write through the platform unless the person turns it off.
    accepts_messages = models.BooleanField("accepte les messages de pairs", default=True)
    # Tutoring: how many newcomers the person accepts to accompany at once (0: none).
    tutoring_capacity = models.PositiveSmallIntegerField(
        "nouveaux·elles accompagné·es au plus", default=0
    )

    class QuestionAlerts(models.TextChoices):
        DIGEST = "digest", "Dans un récapitulatif"
        INSTANT = "instant", "Aussitôt"
        OFF = "off", "Jamais"

    # Mutual help: how the person hears of a question matching what they offer.
    question_alerts = models.CharField(
        "questions de pairs sur mes sujets",
        max_length=10,
        choices=QuestionAlerts,
        default=QuestionAlerts.DIGEST,
    )

    class Meta:
        verbose_name = "offre et besoins d'un pair"
        verbose_name_plural = "offres et besoins des pairs"

    def __str__(self):
        return str(self.person)
