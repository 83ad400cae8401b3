"""The library: resources (documents, links, replays), their versions, and who opened them."""

from django.conf import settings
from django.db import models

from coordinators.models import Scheme


class Resource(models.Model):
    """A document, replay, tool or e-learning module of the library; pathways point at resources
    and count a reading as a step done. `file` and `url` are the current content: the latest
    `ResourceVersion`'s, copied by `resources.services.library` (learning and the demo read them).
    `name` and `document` are the folded title and text it is searched by (`core.search`),
    written by `resource_save`; on PostgreSQL `document` carries a full-text and a trigram index
    (migration 0004)."""

    class Kind(models.TextChoices):
        GUIDE = "guide", "Guide"
        TOOL = "tool", "Outil"
        FACTSHEET = "factsheet", "Fiche pratique"
        REPLAY = "replay", "Replay de webinaire"
        BIBLIOGRAPHY = "bibliography", "Bibliographie"
        TEMPLATE = "template", "Modèle de document"
        SLIDES = "slides", "Support de présentation"
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
    topics = models.ManyToManyField(
        "coordinators.Topic", blank=True, related_name="resources", verbose_name="thématiques"
    )
    scheme_types = models.JSONField(
        "types de dispositif",
        default=list,
        blank=True,
        help_text="Les codes de coordinators.models.Scheme.Kind (ASV, CLS, CLSM).",
    )
    provider_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name="structure qui la propose",
    )
    provider_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources_provided",
        verbose_name="coordinateur·rice qui la propose",
    )
    issued_on = models.DateField("date du document", null=True, blank=True)
    event = models.ForeignKey(
        "agenda.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name="événement",
        help_text="Le webinaire ou la rencontre dont c'est le replay, le support ou un document.",
    )
    name = models.CharField("titre pour la recherche", max_length=200, blank=True)
    document = models.TextField("texte cherché", blank=True)

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
        indexes = [models.Index(fields=["is_published", "audience"], name="resource_published")]

    def __str__(self):
        return self.title

    @property
    def has_content(self):
        """A file or a link to open: without either, there is nothing to read."""
        return bool(self.file) or bool(self.url)

    @property
    def provider(self):
        """Who proposes it: an organisation, or a coordinator (None: not said)."""
        return self.provider_organisation or self.provider_person

    def get_scheme_types_display(self):
        labels = dict(Scheme.Kind.choices)
        return [labels.get(code, code) for code in self.scheme_types]


class ResourceVersion(models.Model):
    """One content of a resource (a file or a link) as it was put online: the latest is the
    current one (copied on the resource), earlier ones stay listed and openable."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    file = models.FileField("fichier", upload_to="ressources/%Y/%m/", blank=True, max_length=200)
    url = models.URLField("lien", blank=True)
    note = models.CharField("ce qui change", max_length=300, blank=True)
    created_at = models.DateTimeField("mise en ligne le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )

    class Meta:
        verbose_name = "version"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.resource} — {self.created_at:%d/%m/%Y}"

    @property
    def has_content(self):
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
