from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coordinators", "0002_default_lists"),
        ("territories", "0002_commune_folded_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Vacancy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="intitulé de l’offre")),
                (
                    "description",
                    models.TextField(help_text="Markdown.", verbose_name="description du poste"),
                ),
                ("fte", models.DecimalField(decimal_places=2, max_digits=3, verbose_name="ETP")),
                ("employer", models.CharField(max_length=200, verbose_name="employeur")),
                ("contact_name", models.CharField(max_length=200, verbose_name="contact")),
                (
                    "contact_email",
                    models.EmailField(
                        blank=True, max_length=254, verbose_name="adresse e-mail pour candidater"
                    ),
                ),
                (
                    "contact_url",
                    models.URLField(
                        blank=True, max_length=500, verbose_name="adresse web pour candidater"
                    ),
                ),
                ("closes_on", models.DateField(verbose_name="date limite de candidature")),
                ("published_at", models.DateTimeField(verbose_name="publiée le")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Ouverte"), ("closed", "Close")],
                        default="open",
                        max_length=10,
                        verbose_name="statut",
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="close le")),
                (
                    "close_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("filled", "poste pourvu (une arrivée est enregistrée)"),
                            ("by_hand", "retirée par la personne qui l’a publiée ou par l’équipe"),
                            ("expired", "date limite de candidature passée"),
                        ],
                        max_length=10,
                        verbose_name="motif de clôture",
                    ),
                ),
                (
                    "commune",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="territories.commune",
                        verbose_name="lieu de travail",
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="vacancies",
                        to="coordinators.post",
                        verbose_name="poste",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="publiée par",
                    ),
                ),
            ],
            options={
                "verbose_name": "offre de poste vacant",
                "verbose_name_plural": "offres de postes vacants",
                "ordering": ["-published_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["status", "closes_on"], name="coordinator_status_a62b6b_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "open")),
                        fields=("post",),
                        name="one_open_vacancy_per_post",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("fte__gte", Decimal("0.1")), ("fte__lte", Decimal("1"))
                        ),
                        name="vacancy_fte_between_0_1_and_1",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("contact_email", ""), ("contact_url", ""), _negated=True
                        ),
                        name="vacancy_has_a_way_to_apply",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("close_reason", ""),
                                ("closed_on__isnull", True),
                                ("status", "open"),
                            ),
                            models.Q(
                                ("closed_on__isnull", False),
                                ("status", "closed"),
                                models.Q(("close_reason", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="vacancy_closed_with_date_and_reason",
                    ),
                ],
            },
        ),
    ]
