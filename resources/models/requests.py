"""Requests for a resource distributed on request (the Boussole): printed copies or the file.

A request goes asked → accepted → sent (with the day it was sent), or refused with a reason; the
requester may withdraw it while it is asked. A person has at most one open request (asked or
accepted) per resource: a database constraint."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

MAX_COPIES = 50


class ResourceRequest(models.Model):
    class Format(models.TextChoices):
        PRINTED = "printed", "Exemplaires imprimés"
        DIGITAL = "digital", "Fichier numérique"

    class State(models.TextChoices):
        ASKED = "asked", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        SENT = "sent", "Envoyée"
        REFUSED = "refused", "Refusée"
        WITHDRAWN = "withdrawn", "Retirée"

    OPEN = (State.ASKED, State.ACCEPTED)

    resource = models.ForeignKey(
        "resources.Resource",
        on_delete=models.CASCADE,
        related_name="requests",
        verbose_name="ressource",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resource_requests",
        verbose_name="demandeur·se",
    )
    format = models.CharField("format", max_length=10, choices=Format.choices)
    quantity = models.PositiveSmallIntegerField("nombre d'exemplaires", null=True, blank=True)
    # The delivery address of printed copies (empty for the file).
    recipient = models.CharField("destinataire", max_length=150, blank=True)
    structure = models.CharField("structure", max_length=200, blank=True)
    street = models.CharField("adresse", max_length=250, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    message = models.TextField("message", blank=True)
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.ASKED)
    asked_at = models.DateTimeField("demandée le", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traitée par",
    )
    decided_at = models.DateTimeField("traitée le", null=True, blank=True)
    sent_on = models.DateField("envoyée le", null=True, blank=True)
    refusal_reason = models.TextField("motif du refus", blank=True)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    class Meta:
        verbose_name = "demande de ressource"
        verbose_name_plural = "demandes de ressources"
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "requester"],
                condition=Q(state__in=["asked", "accepted"]),
                name="one_open_request_per_person_and_resource",
            ),
            models.CheckConstraint(
                condition=Q(format="digital", quantity__isnull=True)
                | Q(format="printed", quantity__gte=1, quantity__lte=MAX_COPIES),
                name="resource_request_quantity_fits_format",
            ),
            models.CheckConstraint(
                condition=Q(state="sent", sent_on__isnull=False) | ~Q(state="sent"),
                name="resource_request_sent_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""),
                name="resource_request_refusal_has_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["state", "asked_at"])]

    def __str__(self):
        return f"Demande de « {self.resource} » par {self.requester}"

    @property
    def is_open(self):
        return self.state in self.OPEN

    @property
    def is_printed(self):
        return self.format == self.Format.PRINTED

    @property
    def what(self) -> str:
        """ "3 exemplaires imprimés", "1 exemplaire imprimé", "le fichier numérique"."""
        if not self.is_printed:
            return "le fichier numérique"
        plural = "s" if (self.quantity or 0) > 1 else ""
        return f"{self.quantity} exemplaire{plural} imprimé{plural}"

    @property
    def address_lines(self) -> list[str]:
        """The delivery address as written on an envelope (printed copies only)."""
        if not self.is_printed:
            return []
        lines = [self.recipient, self.structure, self.street]
        return [line for line in lines if line] + [f"{self.postcode} {self.city}".strip()]
