from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from demo.database import set_aside, stale_migrations


class Command(BaseCommand):
    help = (
        "Avant `migrate` : met de côté la base SQLite de démonstration d'une version antérieure "
        "de la plateforme (incompatible), pour qu'elle soit reconstruite."
    )

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        path = Path(database["NAME"])
        if database["ENGINE"] != "django.db.backends.sqlite3" or not path.exists():
            return
        stale = stale_migrations()
        if not stale:
            return
        connection.close()
        folder = set_aside(path)
        self.stdout.write(
            "La base de démonstration venait d'une version antérieure de la plateforme "
            f"({len(stale)} migrations disparues, dont {stale[0][0]}.{stale[0][1]}) : elle est "
            f"mise de côté dans {folder} et reconstruite."
        )
