"""Requests for resources distributed on request (the Boussole)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0004_versions_and_materials"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ResourceRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "format",
                    models.CharField(
                        choices=[
                            ("printed", "Exemplaires imprimés"),
                            ("digital", "Fichier numérique"),
                        ],
                        max_length=10,
                        verbose_name="format",
                    ),
                ),
                (
                    "quantity",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="nombre d'exemplaires"
                    ),
                ),
                (
                    "recipient",
                    models.CharField(blank=True, max_length=150, verbose_name="destinataire"),
                ),
                (
                    "structure",
                    models.CharField(blank=True, max_length=200, verbose_name="structure"),
                ),
                ("street", models.CharField(blank=True, max_length=250, verbose_name="adresse")),
                (
                    "postcode",
                    models.CharField(blank=True, max_length=5, verbose_name="code postal"),
                ),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="commune")),
                ("message", models.TextField(blank=True, verbose_name="message")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("asked", "En attente"),
                            ("accepted", "Acceptée"),
                            ("sent", "Envoyée"),
                            ("refused", "Refusée"),
                            ("withdrawn", "Retirée"),
                        ],
                        default="asked",
                        max_length=10,
                        verbose_name="état",
                    ),
                ),
                (
                    "asked_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="demandée le"
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="traitée le"),
                ),
                ("sent_on", models.DateField(blank=True, null=True, verbose_name="envoyée le")),
                ("refusal_reason", models.TextField(blank=True, verbose_name="motif du refus")),
                (
                    "withdrawn_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="retirée le"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="mise à jour le")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="traitée par",
                    ),
                ),
                (
                    "requester",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="resource_requests",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="demandeur·se",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="requests",
                        to="resources.resource",
                        verbose_name="ressource",
                    ),
                ),
            ],
            options={
                "verbose_name": "demande de ressource",
                "verbose_name_plural": "demandes de ressources",
                "ordering": ["-asked_at", "-pk"],
                "indexes": [
                    models.Index(fields=["state", "asked_at"], name="resources_r_state_d791fe_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("state__in", ["asked", "accepted"])),
                        fields=("resource", "requester"),
                        name="one_open_request_per_person_and_resource",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("format", "digital"), ("quantity__isnull", True)),
                            models.Q(
                                ("format", "printed"), ("quantity__gte", 1), ("quantity__lte", 50)
                            ),
                            _connector="OR",
                        ),
                        name="resource_request_quantity_fits_format",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("sent_on__isnull", False), ("state", "sent")),
                            models.Q(("state", "sent"), _negated=True),
                            _connector="OR",
                        ),
                        name="resource_request_sent_has_a_date",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("state", "refused"), _negated=True),
                            models.Q(("refusal_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="resource_request_refusal_has_a_reason",
                    ),
                ],
            },
        ),
    ]
