import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account; the e-mail address is the login."""

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur·rice"
        verbose_name_plural = "utilisateur·rices"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email


def new_invitation_token():
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALIDITY_DAYS)


class Invitation(models.Model):
    """Staff invite a person by e-mail with their role and organisation."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "Coordinateur·rice"
        STAFF = "staff", "Équipe PromoSanté"
        PARTNER = "partner", "Partenaire"

    email = models.EmailField("adresse e-mail")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="structure",
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune d'exercice",
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="sent_invitations",
        verbose_name="invité·e par",
    )
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le", default=invitation_expiry)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte créé",
    )

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="coordinator") | models.Q(organisation__isnull=False),
                name="invitation_staff_partner_have_organisation",
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def role_phrase(self):
        """The role as a sentence says it, after "en tant que": "membre de l’équipe PromoSanté",
        never "que Équipe PromoSanté"."""
        if self.role == self.Role.STAFF:
            return "membre de l’équipe PromoSanté"
        return self.get_role_display().lower()

    @property
    def state(self):
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    @property
    def state_label(self):
        return {
            "accepted": "Acceptée",
            "revoked": "Annulée",
            "expired": "Expirée",
            "open": "En attente",
        }[self.state]


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
        "territories.Department",
        related_name="organisations",
        verbose_name="départements couverts",
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
