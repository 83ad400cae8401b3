"""Experience notes (fiches d'expérience): what a coordinator led, written for peers, with its
comments and attached files."""

from django.conf import settings
from django.db import models

# The structured sections of a note, in the order a reader meets them: (field, label).
SECTIONS = [
    ("context", "Contexte"),
    ("partners", "Partenaires"),
    ("action", "L’action"),
    ("results", "Résultats"),
    ("difficulties", "Difficultés rencontrées"),
    ("lessons", "Enseignements"),
    ("contact", "Pour en savoir plus"),
]


class ExperienceNote(models.Model):
    """An experience note: a draft only its author and staff see, then published for the
    network (partners included). `name` and `document` are the folded title and text it is
    searched by (`network.search`), written by `network.services.notes.note_save`; on
    PostgreSQL `document` carries a full-text and a trigram index (migration 0006)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PUBLISHED = "published", "Publiée"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="experience_notes",
        verbose_name="auteur·rice",
    )
    title = models.CharField("titre", max_length=200)
    context = models.TextField("contexte", blank=True)
    department = models.ForeignKey(
        "territories.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    communes = models.ManyToManyField(
        "territories.Commune", blank=True, related_name="+", verbose_name="communes"
    )
    territory = models.CharField("territoire (précisions)", max_length=200, blank=True)
    partners = models.TextField("partenaires", blank=True)
    action = models.TextField("l’action", blank=True)
    results = models.TextField("résultats", blank=True)
    difficulties = models.TextField("difficultés rencontrées", blank=True)
    lessons = models.TextField("enseignements", blank=True)
    contact = models.TextField("pour en savoir plus", blank=True)
    competencies = models.ManyToManyField(
        "competencies.Competency", blank=True, related_name="+", verbose_name="compétences"
    )
    topics = models.ManyToManyField(
        "coordinators.Topic", blank=True, related_name="+", verbose_name="thématiques"
    )
    site_visit = models.ForeignKey(
        "agenda.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="visite de site préparée",
    )
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    name = models.CharField("titre pour la recherche", max_length=200, blank=True)
    document = models.TextField("texte cherché", blank=True)

    class Meta:
        verbose_name = "fiche d’expérience"
        verbose_name_plural = "fiches d’expérience"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="network_note_published"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def sections(self):
        """(label, text) of the sections the author wrote, in reading order."""
        return [(label, getattr(self, name)) for name, label in SECTIONS if getattr(self, name)]


class NoteComment(models.Model):
    """A peer's comment on a published note (plain text)."""

    note = models.ForeignKey(
        ExperienceNote, on_delete=models.CASCADE, related_name="comments", verbose_name="fiche"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="auteur·rice",
    )
    text = models.TextField("commentaire")
    created_at = models.DateTimeField("écrit le", auto_now_add=True)

    class Meta:
        verbose_name = "commentaire de fiche"
        verbose_name_plural = "commentaires de fiches"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author} — {self.note}"


class NoteAttachment(models.Model):
    """A file attached to a note, served only through the note's page (login required)."""

    note = models.ForeignKey(
        ExperienceNote,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name="fiche",
    )
    file = models.FileField("fichier", upload_to="fiches/%Y/%m/", max_length=200)
    name = models.CharField("nom", max_length=200)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_at = models.DateTimeField("ajouté le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe de fiche"
        verbose_name_plural = "pièces jointes de fiches"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name
