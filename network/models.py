from django.conf import settings
from django.db import models


class DirectoryEntry(models.Model):
    """A person as the directory shows and finds them: one row per coordinator in post or who
    chose to appear, rebuilt from the register by `network.services.directory_sync`.

    It holds only what the person shows: `document` (the searchable text, folded by
    `core.text.fold`) leaves out every field they hid, and so do the filter columns
    (`seniority_since`, `background`, `topics` are empty when hidden). On PostgreSQL,
    `document` carries a full-text and a trigram index (migration 0002)."""

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
