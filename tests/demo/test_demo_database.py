"""`make demo` on a database written by an earlier layout of the apps: set aside, rebuilt."""

import pytest
from django.db.migrations.recorder import MigrationRecorder

from demo.database import set_aside, stale_migrations

pytestmark = pytest.mark.django_db


def test_a_current_database_has_no_stale_migration():
    assert stale_migrations() == []


def test_migrations_of_an_earlier_layout_are_found():
    recorder = MigrationRecorder.Migration.objects
    recorder.create(app="trainings", name="0001_initial")
    recorder.create(app="coordinators", name="0002_register")
    assert stale_migrations() == [("coordinators", "0002_register"), ("trainings", "0001_initial")]


def test_the_old_file_and_its_wal_are_moved_aside(tmp_path):
    db = tmp_path / "db.sqlite3"
    for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
        (tmp_path / name).write_text("old")
    folder = set_aside(db)
    assert not db.exists()
    assert sorted(p.name for p in folder.iterdir()) == [
        "db.sqlite3",
        "db.sqlite3-shm",
        "db.sqlite3-wal",
    ]
    assert folder.parent == tmp_path and folder.name.startswith("ancienne-base-")
