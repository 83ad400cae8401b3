"""Experience notes, their comments and attachments; on PostgreSQL, the notes' search indexes
(the same expressions as the directory's, see `network.search` and migration 0002: created by a
function that checks the database, so they stay out of the models' state)."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

SEARCH_INDEXES = [
    GinIndex(SearchVector("document", config="simple"), name="network_note_document_fts"),
    GinIndex(fields=["document"], opclasses=["gin_trgm_ops"], name="network_note_document_trgm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("network", "ExperienceNote")
    for index in SEARCH_INDEXES:
        schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("network", "ExperienceNote")
    for index in SEARCH_INDEXES:
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0004_guests_without_email_are_not_one"),
        ("competencies", "0001_initial"),
        ("coordinators", "0002_default_lists"),
        ("network", "0005_tutoring"),
        ("territories", "0002_commune_folded_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ExperienceNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="titre")),
                ("context", models.TextField(blank=True, verbose_name="contexte")),
                (
                    "territory",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="territoire (précisions)"
                    ),
                ),
                ("partners", models.TextField(blank=True, verbose_name="partenaires")),
                ("action", models.TextField(blank=True, verbose_name="l’action")),
                ("results", models.TextField(blank=True, verbose_name="résultats")),
                (
                    "difficulties",
                    models.TextField(blank=True, verbose_name="difficultés rencontrées"),
                ),
                ("lessons", models.TextField(blank=True, verbose_name="enseignements")),
                ("contact", models.TextField(blank=True, verbose_name="pour en savoir plus")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Brouillon"), ("published", "Publiée")],
                        default="draft",
                        max_length=10,
                        verbose_name="statut",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="publiée le"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créée le")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifiée le")),
                (
                    "name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="titre pour la recherche"
                    ),
                ),
                ("document", models.TextField(blank=True, verbose_name="texte cherché")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="experience_notes",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="auteur·rice",
                    ),
                ),
                (
                    "communes",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="territories.commune",
                        verbose_name="communes",
                    ),
                ),
                (
                    "competencies",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="competencies.competency",
                        verbose_name="compétences",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="territories.department",
                        verbose_name="département",
                    ),
                ),
                (
                    "site_visit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="agenda.event",
                        verbose_name="visite de site préparée",
                    ),
                ),
                (
                    "topics",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="coordinators.topic",
                        verbose_name="thématiques",
                    ),
                ),
            ],
            options={
                "verbose_name": "fiche d’expérience",
                "verbose_name_plural": "fiches d’expérience",
                "ordering": ["-published_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="NoteAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=200, upload_to="fiches/%Y/%m/", verbose_name="fichier"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="nom")),
                ("size", models.PositiveIntegerField(verbose_name="taille (octets)")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="ajouté le")),
                (
                    "note",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="network.experiencenote",
                        verbose_name="fiche",
                    ),
                ),
            ],
            options={
                "verbose_name": "pièce jointe de fiche",
                "verbose_name_plural": "pièces jointes de fiches",
                "ordering": ["uploaded_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="NoteComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="commentaire")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="écrit le")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="auteur·rice",
                    ),
                ),
                (
                    "note",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="network.experiencenote",
                        verbose_name="fiche",
                    ),
                ),
            ],
            options={
                "verbose_name": "commentaire de fiche",
                "verbose_name_plural": "commentaires de fiches",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="experiencenote",
            index=models.Index(fields=["status", "-published_at"], name="network_note_published"),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
