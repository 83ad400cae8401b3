"""The demo's embedded database after an upgrade: a file written by an earlier layout of the
apps (migrations rewritten since) cannot be migrated; it is set aside and rebuilt."""

import shutil
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone


def stale_migrations():
    """Migrations the database says were applied but that no longer exist in the code."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(set(loader.applied_migrations) - set(loader.disk_migrations))


def set_aside(path: Path) -> Path:
    """Move the SQLite file (and its WAL files) to var/ancienne-base-<date>/; returns the folder.
    Close the connection to it first."""
    folder = path.parent / f"ancienne-base-{timezone.now():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{path}{suffix}")
        if old.exists():
            shutil.move(old, folder / old.name)
    return folder
