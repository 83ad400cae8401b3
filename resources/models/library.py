from django.conf import settings
from django.db import models


class Resource(models.Model):
    """A document, video, tool or e-learning module of the library (the resources issue extends
    it); pathways point at resources and count a reading as a step done."""

    class Kind(models.TextChoices):
        GUIDE = "guide", "Guide"
        SHEET = "sheet", "Fiche pratique"
        TOOL = "tool", "Outil"
        VIDEO = "video", "Vidéo ou replay"
        ELEARNING = "elearning", "Module en ligne"
        REPORT = "report", "Étude ou rapport"

    title = models.CharField("titre", max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    summary = models.TextField("résumé", blank=True, help_text="Markdown accepté.")
    url = models.URLField("lien", blank=True)
    file = models.FileField("fichier", upload_to="ressources/%Y/%m/", blank=True, max_length=200)
    competencies = models.ManyToManyField(
        "competencies.Competency", blank=True, related_name="resources", verbose_name="compétences"
    )

    class Audience(models.TextChoices):
        NETWORK = "network", "Coordinateur·rices et partenaires"
        COORDINATORS = "coordinators", "Coordinateur·rices seulement"
        PARTNERS = "partners", "Partenaires seulement"
        PUBLIC = "public", "Tout public, sans compte"

    audience = models.CharField(
        "public",
        max_length=20,
        choices=Audience.choices,
        default=Audience.NETWORK,
        help_text="Qui peut lire la ressource et ouvrir son fichier (l'équipe lit tout).",
    )
    on_request = models.BooleanField(
        "diffusée sur demande",
        default=False,
        help_text="Exemplaires imprimés ou fichier envoyés par l'équipe à qui les demande.",
    )
    is_published = models.BooleanField("publiée", default=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ressource"
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def has_content(self):
        """A file or a link to open: without either, there is nothing to read."""
        return bool(self.file) or bool(self.url)


class ResourceRead(models.Model):
    """A person opened a resource (the first time counts)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reads")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_reads"
    )
    read_at = models.DateTimeField("lue le", auto_now_add=True)

    class Meta:
        verbose_name = "lecture"
        constraints = [
            models.UniqueConstraint(fields=["resource", "person"], name="one_read_per_person")
        ]

    def __str__(self):
        return f"{self.person} — {self.resource}"
