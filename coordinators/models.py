from django.conf import settings
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
        ordering = ["name"]
        indexes = [models.Index(fields=["department", "name"])]

    def __str__(self):
        return f"{self.name} ({self.code_insee[:2]})"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROMOSANTE = "promosante", "PromoSanté IdF"
        ARS_HQ = "ars_siege", "ARS — siège"
        ARS_DD = "ars_dd", "ARS — délégation départementale"
        CRPV = "crpv", "Centre de ressources politique de la ville"
        PREFECTURE = "prefecture", "Préfecture de région"

    name = models.CharField("nom", max_length=200, unique=True)
    short_name = models.CharField("sigle", max_length=50, blank=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    departments = models.ManyToManyField(
        Department, related_name="organisations", verbose_name="départements couverts"
    )

    class Meta:
        verbose_name = "structure partenaire"
        verbose_name_plural = "structures partenaires"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.short_name or self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="personne",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name="structure"
    )
    created_at = models.DateTimeField("depuis", auto_now_add=True)

    class Meta:
        verbose_name = "appartenance à une structure"
        verbose_name_plural = "appartenances à une structure"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation}"


class CoordinatorProfile(models.Model):
    """A coordinator's presence on the platform. Sign-ups stay pending until staff approve."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente de validation"
        APPROVED = "approved", "Validé"
        REFUSED = "refused", "Refusé"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_profile",
        verbose_name="personne",
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinator_profiles",
        verbose_name="commune d'exercice",
    )
    employer = models.CharField("structure employeuse", max_length=200, blank=True)
    job_title = models.CharField("intitulé du poste", max_length=200, blank=True)
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
