"""Mutual help: questions to peers and their answers; on PostgreSQL, the questions' search
indexes (the same two as the directory's, migration 0002: full text and trigram), created by a
function that checks the database, so they are not part of the models' state."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

# The expressions `network.selectors.questions` queries, word for word (the planner matches them).
SEARCH_INDEXES = [
    GinIndex(SearchVector("document", config="simple"), name="network_question_document_fts"),
    GinIndex(
        fields=["document"], opclasses=["gin_trgm_ops"], name="network_question_document_trgm"
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("network", "Question")
    for index in SEARCH_INDEXES:
        schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("network", "Question")
    for index in SEARCH_INDEXES:
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("competencies", "0001_initial"),
        ("coordinators", "0002_default_lists"),
        ("network", "0006_experience_notes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Answer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("body", models.TextField(max_length=10000, verbose_name="réponse")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="envoyée le")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="auteur·rice",
                    ),
                ),
            ],
            options={
                "verbose_name": "réponse à une question",
                "verbose_name_plural": "réponses aux questions",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Question",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="question")),
                ("body", models.TextField(max_length=10000, verbose_name="précisions")),
                ("answer_count", models.PositiveIntegerField(default=0, verbose_name="réponses")),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="close le"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="posée le")),
                (
                    "digested_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="récapitulatif préparé le"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="titre pour la recherche")),
                ("document", models.TextField(verbose_name="texte cherché")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="posée par",
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
                    "topics",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="coordinators.topic",
                        verbose_name="thématiques",
                    ),
                ),
                (
                    "useful_answer",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="network.answer",
                        verbose_name="réponse utile",
                    ),
                ),
            ],
            options={
                "verbose_name": "question aux pairs",
                "verbose_name_plural": "questions aux pairs",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="answer",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answers",
                to="network.question",
                verbose_name="question",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=models.Index(fields=["-created_at", "-id"], name="network_question_recent"),
        ),
        migrations.AddIndex(
            model_name="question",
            index=models.Index(
                condition=models.Q(("digested_at__isnull", True)),
                fields=["created_at"],
                name="network_question_undigested",
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
