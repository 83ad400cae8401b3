"""The news board (replaces the Padlet): posts by the team and by CRPV/DD partners, and each
person's secret address for the board's Atom feeds."""

import secrets

from django.conf import settings
from django.db import models


class NewsPost(models.Model):
    """A post of the board. A draft is seen by those who may edit it; published, by every member
    (on the board of those it concerns: `network.selectors.news`). It leaves the board and Mon
    espace after `expires_on` but stays readable at its address, marked "Expirée"."""

    class Category(models.TextChoices):
        NEWS = "news", "Actualité"
        CALL_FOR_PROJECTS = "call", "Appel à projets"
        TRAINING = "training", "Formation extérieure"
        JOB = "job", "Offre d’emploi"
        NETWORK_LIFE = "network", "Vie du réseau"

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PUBLISHED = "published", "Publiée"

    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte", blank=True)
    category = models.CharField(
        "catégorie", max_length=10, choices=Category.choices, default=Category.NEWS
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="news_posts",
        verbose_name="auteur·rice",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="news_posts",
        verbose_name="au nom de",
    )
    departments = models.ManyToManyField(
        "territories.Department",
        blank=True,
        related_name="+",
        verbose_name="départements concernés",
    )
    pinned = models.BooleanField("épinglée", default=False)
    link = models.URLField("lien", max_length=500, blank=True)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    expires_on = models.DateField("expire après le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"
        ordering = ["-pinned", "-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-pinned", "-published_at"], name="network_news_board"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def is_expired(self, today):
        return self.expires_on is not None and self.expires_on < today


def new_feed_token():
    return secrets.token_urlsafe(32)


class NewsFeed(models.Model):
    """The secret address of a person's news feeds (feed readers do not log in); renewable."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="news_feed",
        verbose_name="personne",
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField("créée le", auto_now=True)

    class Meta:
        verbose_name = "flux d’actualités personnel"
        verbose_name_plural = "flux d’actualités personnels"

    def __str__(self):
        return f"Flux d’actualités de {self.user}"
