"""The directory's search indexes, on PostgreSQL only (SQLite, the demo's database, searches the
folded text with LIKE: see `network.search`).

The extension operation is a no-op on other databases; the indexes are created by a function
that checks the database too, so they are not part of the models' state (and `makemigrations`
does not try to add them on SQLite)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# The expressions `network.search` queries, word for word (the planner matches them).
SEARCH_INDEXES = [
    GinIndex(SearchVector("document", config="simple"), name="network_entry_document_fts"),
    GinIndex(fields=["document"], opclasses=["gin_trgm_ops"], name="network_entry_document_trgm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("network", "DirectoryEntry")
    for index in SEARCH_INDEXES:
        schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("network", "DirectoryEntry")
    for index in SEARCH_INDEXES:
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("network", "0001_directory_entry")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
