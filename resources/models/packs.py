"""Packs for elected officials and managers, and the links that share them without an account.

A pack holds only published resources open to the public (`Resource.Audience.PUBLIC`): its link
opens them to people without an account. A resource that stops being public or published stays
in the pack (the team sees why) but the shared page no longer shows it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Pack(models.Model):
    """A short, ordered set of public resources, assembled by the team, for a kind of reader
    (what a CLS is, what a coordinator does…)."""

    title = models.CharField("titre", max_length=200)
    audience_line = models.CharField(
        "pour qui",
        max_length=300,
        help_text="En une phrase : à qui ce pack s’adresse (« Pour les élu·es d’une commune qui "
        "lance un CLS »).",
    )
    introduction = models.TextField(
        "introduction", blank=True, help_text="Markdown accepté. Lue en tête de la page partagée."
    )
    is_published = models.BooleanField(
        "publié",
        default=False,
        help_text="Un pack publié peut être partagé par les coordinateur·rices.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "pack de ressources"
        verbose_name_plural = "packs de ressources"
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class PackItem(models.Model):
    """A resource in a pack, at its place, with a short note on why it is there."""

    pack = models.ForeignKey(
        Pack, on_delete=models.CASCADE, related_name="items", verbose_name="pack"
    )
    resource = models.ForeignKey(
        "resources.Resource",
        on_delete=models.CASCADE,
        related_name="pack_items",
        verbose_name="ressource",
    )
    position = models.PositiveIntegerField("position", default=0)
    note = models.CharField("pourquoi cette ressource", max_length=300, blank=True)

    class Meta:
        verbose_name = "ressource d’un pack"
        verbose_name_plural = "ressources d’un pack"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "resource"], name="pack_item_once_per_pack")
        ]

    def __str__(self):
        return f"{self.pack} — {self.resource}"


class PackLink(models.Model):
    """A link that opens a pack to people without an account. The URL carries `token` (never an
    id); the link works until `expires_at` unless revoked. Each view of the shared page counts as
    an opening (`open_count`, `last_opened_at`); the documents opened from it do not count again."""

    pack = models.ForeignKey(
        Pack, on_delete=models.CASCADE, related_name="links", verbose_name="pack"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pack_links",
        verbose_name="partagé par",
    )
    token = models.CharField("jeton", max_length=64, unique=True, editable=False)
    label = models.CharField("pour qui", max_length=200)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    open_count = models.PositiveIntegerField("ouvertures", default=0)
    last_opened_at = models.DateTimeField("dernière ouverture", null=True, blank=True)

    class Meta:
        verbose_name = "lien de partage d’un pack"
        verbose_name_plural = "liens de partage de packs"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="packlink_by_sharer")]

    def __str__(self):
        return f"{self.pack} — {self.label}"

    @property
    def last_day(self):
        """The last day the link works (it expires at the start of the next one, Paris time)."""
        return timezone.localtime(self.expires_at - timedelta(microseconds=1)).date()
