"""The worst file each import accepts: how long it takes and how much memory (docs/performance.md).

Each case is the largest file the import's bounds (`LIMITS`) accept: as many rows and cells as
allowed, as many bytes (an XLSX: unzipped bytes, in inline strings, the slowest cells for
openpyxl, under a merged title) as the remaining bounds leave. The register's rows are
arrivals of new people on posts (`personnes`), its costliest kind of row with `postes`; the
attendance rows are participants who each reconnected once. Each case and step runs in a fresh
process (`--child`), which builds the file, checks that the reader accepts it, then measures:
- `read`: what `core.tabular` and the header search cost (no database);
- `dry-run`: the whole check the upload page runs (`register_import(dry_run=True)`,
  `attendance_check`), on the configured database, inside a transaction rolled back at the end
  with what the measure needed (territories if missing, a scheme and its posts, a webinar and
  300 registrations): the command leaves no trace.

Figures: wall time; the peak resident memory of the process during the step and its growth
over the resident memory before it (the file already built), read from /proc/self/status
after resetting the peak (Linux); the peak of Python allocations (tracemalloc, in a second run
of the same step, whose time is not reported: tracemalloc slows Python down).
"""

import argparse
import csv
import gc
import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import Organisation
from agenda import attendance
from agenda.models import Event, Registration
from coordinators import imports, services
from coordinators.models import Post, Scheme
from core import tabular
from territories.loader import load_territories
from territories.models import Commune

CASES = ("register-csv", "register-xlsx", "attendance-csv")
STEPS = ("read", "dry-run")
REGISTER_KIND = "personnes"
REGISTER_NOTES = 12  # the 8 columns of "personnes" and notes staff add: 20 columns in all
ATTENDANCE_HEADER = [
    "Name (Original Name)",
    "User Email",
    "Join Time",
    "Leave Time",
    "Duration (Minutes)",
    *(f"Question {n}" for n in range(1, 25)),  # Livestorm-like: registration questions
]
ATTENDANCE_MAPPING = {
    "email": "User Email",
    "name": "Name (Original Name)",
    "joined": "Join Time",
    "left": "Leave Time",
}


# --- The files -----------------------------------------------------------------------------


def _csv_bytes(header, body):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue().encode("utf-8")


def _register_table(post_ids, note_length, title_rows=0):
    """Header and rows of a people import at the register's bounds: one row a post."""
    limits = imports.LIMITS
    header = [*imports.KINDS[REGISTER_KIND].columns, *(f"note {n}" for n in range(REGISTER_NOTES))]
    width = len(header)
    count = min(limits.max_cells // width - 1 - title_rows, limits.max_rows, len(post_ids))
    note = "x" * note_length
    body = [
        [
            "",
            f"personne{n}@exemple.fr",
            "Camille",
            f"Martin-{n}",
            str(post_id),
            "02/01/2024",
            "",
            "",
            *(note for _ in range(REGISTER_NOTES)),
        ]
        for n, post_id in enumerate(post_ids[:count])
    ]
    return header, body


def register_csv(post_ids):
    """Rows and cells at their bounds; notes as long as the size bound leaves room for."""
    header, body = _register_table(post_ids, 0)
    room = imports.LIMITS.max_bytes - len(_csv_bytes(header, body)) - 1024
    header, body = _register_table(post_ids, room // (len(body) * REGISTER_NOTES))
    return _csv_bytes(header, body)


def _xlsx_bytes(header, body):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Registre")
    sheet.merged_cells.add(f"A1:{openpyxl.utils.get_column_letter(len(header))}1")
    sheet.append(["Prises de poste à importer"] + [None] * (len(header) - 1))
    sheet.append(header)
    for row in body:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unzipped_size(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(info.file_size for info in archive.infolist())


def register_xlsx(post_ids):
    """Cells at their bound under a merged title; notes as long as the unzipped bound allows."""
    limits = imports.LIMITS
    header, body = _register_table(post_ids, 0, title_rows=1)
    content = _xlsx_bytes(header, body)
    room = limits.max_unzipped_bytes - unzipped_size(content) - 64 * 1024
    length = room // (len(body) * REGISTER_NOTES)
    while length >= 0:
        content = _xlsx_bytes(*_register_table(post_ids, length, title_rows=1))
        if len(content) <= limits.max_bytes and unzipped_size(content) <= limits.max_unzipped_bytes:
            return content
        length -= max(1, length // 20)
    raise CommandError("No XLSX under the bounds: change this command with the bounds.")


def _attendance_table(note_length):
    limits = attendance.LIMITS
    width = len(ATTENDANCE_HEADER)
    count = min(limits.max_cells // width - 1, limits.max_rows)
    note = "y" * note_length
    body = []
    for n in range(count):
        person, again = divmod(n, 2)  # everyone reconnects once
        joined, left = ("14:45", "15:20") if again else ("14:00", "14:40")
        body.append(
            [
                f"Participant {person}",
                f"participant{person}@exemple.fr",
                f"22/11/2026 {joined}",
                f"22/11/2026 {left}",
                "",
                *(note for _ in range(width - 5)),
            ]
        )
    return ATTENDANCE_HEADER, body


def attendance_csv(_post_ids=None):
    header, body = _attendance_table(0)
    room = attendance.LIMITS.max_bytes - len(_csv_bytes(header, body)) - 1024
    return _csv_bytes(*_attendance_table(room // (len(body) * (len(header) - 5))))


BUILDERS = {
    "register-csv": register_csv,
    "register-xlsx": register_xlsx,
    "attendance-csv": attendance_csv,
}


def describe(case, content):
    """The file's size, rows, cells and columns against the bounds; refused: CommandError."""
    limits = attendance.LIMITS if case.startswith("attendance") else imports.LIMITS
    try:
        table = tabular.read_table(content, limits=limits)
    except tabular.FileRejected as rejected:
        raise CommandError(f"{case}: the worst file is refused: {rejected.error}") from None
    rows = [row for sheet in table.sheets for row in sheet.rows]
    described = {
        "bytes": len(content),
        "max_bytes": limits.max_bytes,
        "rows": len(rows),
        "max_row_number": limits.max_row_number,
        "cells": table.work.cells,
        "max_cells": limits.max_cells,
        "columns": max(len(row.cells) for row in rows),
        "max_columns": limits.max_columns,
    }
    if table.format == "xlsx":
        described["unzipped"] = unzipped_size(content)
        described["max_unzipped"] = limits.max_unzipped_bytes
    return described


# --- One step, in a child process ----------------------------------------------------------


def _read(case, content):
    """What the import reads before it checks any row."""
    if case.startswith("register"):
        kind = imports.KINDS[REGISTER_KIND]
        columns = tabular.Columns(kind.columns, imports.HEADER_ALIASES)
        table = tabular.read_table(
            content,
            limits=imports.LIMITS,
            header_score=lambda cells: len(columns.match(cells).positions),
        )
        return {"data_rows": len(tabular.find_header(table, columns).data_rows)}
    return {"data_rows": len(attendance.read_participants(content).rows)}


def _dry_run(case, content, event):
    if case.startswith("register"):
        report = imports.register_import(kind=REGISTER_KIND, content=content, dry_run=True)
        return {"data_rows": len(report.rows), "errors": len(report.errors), "ok": report.ok}
    report = attendance.attendance_check(
        event=event, content=content, mapping=ATTENDANCE_MAPPING, min_minutes=30
    )
    return {
        "data_rows": report.rows_read,
        "errors": len(report.errors),
        "matched": len(report.matched),
        "ok": report.ok,
    }


def _posts():
    """A scheme and as many open posts as the register's bound has rows (rolled back)."""
    if not Commune.objects.filter(code_insee="93029").exists():
        load_territories()
    scheme = services.scheme_save(
        scheme=Scheme(
            kind=Scheme.Kind.CLS,
            name="Contrat local de santé (mesure des imports)",
            carrier_name="Ville de Drancy",
        ),
        communes=[Commune.objects.get(code_insee="93029")],
    )
    posts = Post.objects.bulk_create(
        [Post(opened_on=date(2020, 1, 1)) for _ in range(imports.LIMITS.max_rows)]
    )
    Post.schemes.through.objects.bulk_create(
        [Post.schemes.through(post_id=post.pk, scheme_id=scheme.pk) for post in posts]
    )
    return [post.pk for post in posts]


def _event():
    """A webinar on 22 November 2026 where 300 of the file's people registered (rolled back)."""
    starts_at = datetime(2026, 11, 22, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    organiser, _ = Organisation.objects.get_or_create(
        name="PromoSanté IdF (mesure des imports)",
        defaults={"kind": Organisation.Kind.PROMOSANTE},
    )
    event = Event.objects.create(
        kind=Event.Kind.WEBINAR,
        title="Webinaire (mesure des imports)",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        audiences=[Event.Audience.ALL],
        organiser=organiser,
    )
    users = get_user_model().objects
    for n in range(300):
        person = users.create_user(email=f"participant{n * 7}@exemple.fr", password=None)
        Registration.objects.create(event=event, person=person, status="confirmed")
    return event


def _memory_kib(name):
    """VmRSS (now) or VmHWM (peak) of this process, in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    raise CommandError("No /proc/self/status: this measure needs Linux.")


def _measure(run):
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM counts from now on (Linux 4.0+)
    before = _memory_kib("VmRSS")
    started = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - started
    peak = _memory_kib("VmHWM")
    gc.collect()
    tracemalloc.start()
    run()
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        **result,
        "seconds": elapsed,
        "rss_peak_mib": peak / 1024,
        "rss_growth_mib": (peak - before) / 1024,
        "traced_peak_mib": traced / 2**20,
    }


def run_child(case, step):
    build = BUILDERS[case]
    if step == "read":
        content = build(list(range(1, imports.LIMITS.max_rows + 1)))
        return {**describe(case, content), **_measure(lambda: _read(case, content))}
    # As the import's service applies it: in one transaction (rolled back here).
    with transaction.atomic():
        event, post_ids = None, []
        if case.startswith("attendance"):
            event = _event()
        else:
            post_ids = _posts()
        content = build(post_ids)
        described = describe(case, content)

        def dry_run():
            with transaction.atomic():
                result = _dry_run(case, content, event)
                transaction.set_rollback(True)
            return result

        result = {**described, **_measure(dry_run)}
        transaction.set_rollback(True)
    return result


# --- The command ---------------------------------------------------------------------------


def _mib(size):
    return f"{size / 2**20:.2f} MiB"


class Command(BaseCommand):
    help = (
        "Mesure le temps et la mémoire du pire fichier accepté par chaque import (registre CSV "
        "et XLSX, présences CSV) : lecture, puis vérification complète (rien n'est enregistré)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--case", choices=CASES, action="append", help="(répétable)")
        parser.add_argument("--step", choices=STEPS, action="append", help="(répétable)")
        parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)

    def handle(self, *args, case, step, child, **options):
        if child:
            self.stdout.write(json.dumps(run_child(*child)))
            return
        database = f"{connection.vendor} ({settings.DATABASES['default']['NAME']})"
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        self.stdout.write(
            f"Database: {database}; Python {sys.version.split()[0]}; {os.cpu_count()} CPU, "
            f"load average {load}"
        )
        for name in case or CASES:
            self.stdout.write(f"\n{name}")
            for index, step_name in enumerate(step or STEPS):
                self._run(name, step_name, describe=index == 0)

    def _run(self, case, step, *, describe):
        command = [sys.executable, sys.argv[0], "bench_imports", "--child", case, step]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode:
            raise CommandError(f"{case} {step} failed:\n{completed.stderr[-3000:]}")
        r = json.loads(completed.stdout.strip().splitlines()[-1])
        unzipped = (
            f", {_mib(r['unzipped'])} unzipped (≤ {_mib(r['max_unzipped'])})"
            if "unzipped" in r
            else ""
        )
        if describe:  # each step builds its own file, alike but for the posts' numbers
            self.stdout.write(
                f"  file: {_mib(r['bytes'])} (≤ {_mib(r['max_bytes'])}){unzipped}, {r['rows']} "
                f"rows (≤ {r['max_row_number']}), {r['cells']} cells (≤ {r['max_cells']}), "
                f"{r['columns']} columns (≤ {r['max_columns']})"
            )
        outcome = ", ".join(
            f"{key} {r[key]}" for key in ("data_rows", "errors", "matched", "ok") if key in r
        )
        self.stdout.write(
            f"  {step:8} {r['seconds']:6.2f} s   peak RSS {r['rss_peak_mib']:.0f} MiB "
            f"(+{r['rss_growth_mib']:.0f} MiB)   Python peak {r['traced_peak_mib']:.0f} MiB   "
            f"({outcome})"
        )
