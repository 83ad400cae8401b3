"""The library's kinds of 2026-11 (sheet → factsheet, video → replay), topics, scheme types,
provider, date and event of a resource, its versions (existing content becomes the first one),
its folded search columns and, on PostgreSQL, their indexes (the same expressions as the
directory's, see `core.search` and network migration 0002: created by a function that checks the
database, so they stay out of the models' state)."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

from core.text import fold

RENAMED_KINDS = {"sheet": "factsheet", "video": "replay"}

SEARCH_INDEXES = [
    GinIndex(SearchVector("document", config="simple"), name="resources_document_fts"),
    GinIndex(fields=["document"], opclasses=["gin_trgm_ops"], name="resources_document_trgm"),
]


def forwards(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    ResourceVersion = apps.get_model("resources", "ResourceVersion")
    for old, new in RENAMED_KINDS.items():
        Resource.objects.filter(kind=old).update(kind=new)
    for resource in Resource.objects.all():
        resource.name = fold(resource.title)[:200]
        resource.document = fold(f"{resource.title} {resource.summary}")
        resource.save(update_fields=["name", "document"])
        if resource.file or resource.url:
            version = ResourceVersion.objects.create(
                resource=resource, file=resource.file.name, url=resource.url
            )
            # Dated as the resource, not as the migration.
            ResourceVersion.objects.filter(pk=version.pk).update(created_at=resource.created_at)


def backwards(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    for old, new in RENAMED_KINDS.items():
        Resource.objects.filter(kind=new).update(kind=old)
    # Kinds that did not exist before fall back on the closest old one.
    Resource.objects.filter(kind__in=["bibliography", "template", "slides"]).update(kind="tool")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("resources", "Resource")
    for index in SEARCH_INDEXES:
        schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("resources", "Resource")
    for index in SEARCH_INDEXES:
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("agenda", "0004_guests_without_email_are_not_one"),
        ("coordinators", "0002_default_lists"),
        ("resources", "0003_library_audience_and_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ResourceVersion",
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
                        blank=True,
                        max_length=200,
                        upload_to="ressources/%Y/%m/",
                        verbose_name="fichier",
                    ),
                ),
                ("url", models.URLField(blank=True, verbose_name="lien")),
                (
                    "note",
                    models.CharField(blank=True, max_length=300, verbose_name="ce qui change"),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="mise en ligne le"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="par",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="resources.resource",
                    ),
                ),
            ],
            options={"verbose_name": "version", "ordering": ["-created_at", "-pk"]},
        ),
        migrations.AddField(
            model_name="resource",
            name="document",
            field=models.TextField(blank=True, verbose_name="texte cherché"),
        ),
        migrations.AddField(
            model_name="resource",
            name="event",
            field=models.ForeignKey(
                blank=True,
                help_text="Le webinaire ou la rencontre dont c'est le replay, le support ou un "
                "document.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="materials",
                to="agenda.event",
                verbose_name="événement",
            ),
        ),
        migrations.AddField(
            model_name="resource",
            name="issued_on",
            field=models.DateField(blank=True, null=True, verbose_name="date du document"),
        ),
        migrations.AddField(
            model_name="resource",
            name="name",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="titre pour la recherche"
            ),
        ),
        migrations.AddField(
            model_name="resource",
            name="provider_organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="resources",
                to="accounts.organisation",
                verbose_name="structure qui la propose",
            ),
        ),
        migrations.AddField(
            model_name="resource",
            name="provider_person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="resources_provided",
                to=settings.AUTH_USER_MODEL,
                verbose_name="coordinateur·rice qui la propose",
            ),
        ),
        migrations.AddField(
            model_name="resource",
            name="scheme_types",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Les codes de coordinators.models.Scheme.Kind (ASV, CLS, CLSM).",
                verbose_name="types de dispositif",
            ),
        ),
        migrations.AddField(
            model_name="resource",
            name="topics",
            field=models.ManyToManyField(
                blank=True,
                related_name="resources",
                to="coordinators.topic",
                verbose_name="thématiques",
            ),
        ),
        migrations.AlterField(
            model_name="resource",
            name="kind",
            field=models.CharField(
                choices=[
                    ("guide", "Guide"),
                    ("tool", "Outil"),
                    ("factsheet", "Fiche pratique"),
                    ("replay", "Replay de webinaire"),
                    ("bibliography", "Bibliographie"),
                    ("template", "Modèle de document"),
                    ("slides", "Support de présentation"),
                    ("elearning", "Module en ligne"),
                    ("report", "Étude ou rapport"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(fields=["is_published", "audience"], name="resource_published"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
