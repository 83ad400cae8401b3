"""The real territories of Île-de-France (INSEE codes), loaded from `data/idf/`, never typed."""

from django.db import models


class Department(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    chef_lieu_code = models.CharField("code INSEE du chef-lieu", max_length=5)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Intercommunality(models.Model):
    class Kind(models.TextChoices):
        METROPOLE = "METRO", "Métropole"
        EPT = "EPT", "Établissement public territorial"
        CU = "CU", "Communauté urbaine"
        CA = "CA", "Communauté d'agglomération"
        CC = "CC", "Communauté de communes"

    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=5, choices=Kind.choices)

    class Meta:
        verbose_name = "intercommunalité"
        verbose_name_plural = "intercommunalités"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune-actuelle", "Commune"
        ARRONDISSEMENT = "arrondissement-municipal", "Arrondissement municipal"

    code_insee = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=200)
    # The name as people type and sort it (core.text.fold): "saint denis", "ecouen".
    folded_name = models.CharField("nom sans accents", max_length=200, db_index=True, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    postal_codes = models.CharField("codes postaux", max_length=200, blank=True)
    ept = models.ForeignKey(
        Intercommunality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ept_communes",
        verbose_name="EPT",
    )
    epci = models.ForeignKey(
        Intercommunality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="epci_communes",
        verbose_name="EPCI",
    )

    class Meta:
        verbose_name = "commune"
        ordering = ["folded_name", "name"]
        indexes = [models.Index(fields=["department", "name"])]

    def __str__(self):
        return f"{self.name} ({self.code_insee[:2]})"
