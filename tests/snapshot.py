"""A snapshot of the test database's rows, restored in a blink instead of seeding again.

Browser tests run against a live server, so their database is flushed after each test; seeding
the demo again each time (thousands of queries through the services) cost most of their time.
The first test seeds and takes the snapshot; the next ones restore it: every test still starts
from the same, complete demo, and may change it as it likes.

PostgreSQL: every table's rows with COPY, restored in one transaction (Django's foreign keys are
DEFERRABLE INITIALLY DEFERRED, so the order of the tables does not matter). SQLite: the whole file
with the backup API.
"""

import sqlite3

from django.db import connection, transaction


class DatabaseSnapshot:
    def __init__(self):
        self.tables = None
        self.copy = None

    def take(self):
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.copy)
            return
        self.tables = {}
        with connection.cursor() as cursor:
            for table in connection.introspection.django_table_names(include_views=False):
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    self.tables[table] = b"".join(bytes(block) for block in copy)

    def restore(self):
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.copy.backup(connection.connection)
            return
        with transaction.atomic(), connection.cursor() as cursor:
            names = ", ".join(f'"{table}"' for table in self.tables)
            cursor.execute(f"TRUNCATE {names}")
            for table, data in self.tables.items():
                if data:
                    with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(data)
