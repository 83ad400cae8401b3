"""Migration 0004: the kinds renamed by the issue (sheet → factsheet, video → replay) are
migrated, other values kept, and a resource's existing content becomes its first version."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("resources", "0003_library_audience_and_requests")]
AFTER = [("resources", "0004_versions_and_materials")]


@pytest.mark.django_db(transaction=True)
def test_old_kinds_are_renamed_and_content_becomes_a_version():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        Resource = old.get_model("resources", "Resource")
        sheet = Resource.objects.create(title="Fiche", kind="sheet", url="https://ex.org/f")
        video = Resource.objects.create(title="Vidéo", kind="video", file="ressources/v.pdf")
        guide = Resource.objects.create(title="Guide", kind="guide")
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        Resource = new.get_model("resources", "Resource")
        Version = new.get_model("resources", "ResourceVersion")
        kinds = dict(Resource.objects.values_list("pk", "kind"))
        assert kinds == {sheet.pk: "factsheet", video.pk: "replay", guide.pk: "guide"}
        versions = {v.resource_id: (v.file.name, v.url) for v in Version.objects.all()}
        assert versions == {
            sheet.pk: ("", "https://ex.org/f"),
            video.pk: ("ressources/v.pdf", ""),
        }  # a resource without content has no version
        assert Resource.objects.get(pk=sheet.pk).name == "fiche"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
