"""Benchmark of the delivery pipeline against a plain SMTP loop, on the configured database and
broker (see docs/performance.md).

It plans N reminder-like deliveries (a rendered reminder with its .ics), starts an SMTP sink
(aiosmtpd, a subprocess) and one Celery worker process, runs the dispatcher and waits until the
sink has every message; then sends the same messages (same bytes) with smtplib over one connection
to the same sink. It deletes its rows and stops what it started, whatever happens.
"""

import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from kombu import Exchange, Queue

SINK_HOST = "127.0.0.1"

# The sink: writes "<time> <Message-ID>" for every message it accepts, until SIGTERM.
SINK_MAIN = r"""
import re, signal, sys, threading, time
from aiosmtpd.controller import Controller

host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
message_id = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.I | re.M)
log = open(path, "a", buffering=1)

class Handler:
    async def handle_DATA(self, server, session, envelope):
        headers = re.split(rb"\r?\n\r?\n", envelope.content, maxsplit=1)[0]
        found = message_id.search(headers)
        log.write(f"{time.time():.6f} {found.group(1).decode() if found else '-'}\n")
        return "250 2.0.0 OK"

controller = Controller(Handler(), hostname=host, port=port)
controller.start()
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *args: stop.set())
while not stop.wait(0.5):
    pass
controller.stop()
log.close()
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind((SINK_HOST, 0))
        return sock.getsockname()[1]


def _wait(predicate, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def _listening(port):
    try:
        socket.create_connection((SINK_HOST, port), timeout=1).close()
    except OSError:
        return False
    return True


def _stop(process, timeout=30):
    """SIGTERM to the main process (a Celery worker then stops its pool), SIGKILL to the group
    if it takes too long."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _reminder_content():
    """A J-1 webinar reminder as `notifications.reminders` renders it, .ics included."""
    from agenda.calendar import event_ics
    from agenda.models import Event, Registration
    from coordinators.models import Organisation
    from notifications import messages
    from notifications.models import ReminderRule

    starts_at = timezone.localtime() + timedelta(days=1)
    starts_at = starts_at.replace(hour=10, minute=0, second=0, microsecond=0)
    event = Event(
        pk=1,
        kind=Event.Kind.WEBINAR,
        title="Repérer et orienter : santé mentale des jeunes en contrat local de santé",
        description="Un webinaire d'une heure et demie avec deux coordinatrices de CLSM.\n" * 4,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        video_url="https://visio.example.org/webinaire-sante-mentale",
        organiser=Organisation(name="PromoSanté IdF"),
        updated_at=timezone.now(),
    )
    registration = Registration(event=event, first_name="Camille")
    rule = ReminderRule(kind=Event.Kind.WEBINAR, days_before=1)
    url = f"{settings.SITE_URL}/agenda/1/"
    return messages.content(
        template="event_reminder",
        context={
            "registration": registration,
            "event": event,
            "rule": rule,
            "when": "demain",
            "show_video": False,
            "show_access": False,
            "url": url,
            "unsubscribe_url": f"{settings.SITE_URL}/notifications/desinscription/exemple/",
        },
        attachments=[("evenement-1.ics", event_ics(event, show_video=True), "text/calendar")],
    )


class Command(BaseCommand):
    help = (
        "Mesure le débit des envois (dispatcher → broker → worker Celery → SMTP) face à une "
        "boucle smtplib simple, sur la base et le broker configurés. Ne pas lancer pendant que le "
        "planificateur de la plateforme tourne sur la même base."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=5000)
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--timeout", type=int, default=300, help="secondes")

    def handle(self, *args, count, concurrency, timeout, **options):
        from accounts.models import User
        from notifications.models import Delivery

        if settings.SETTINGS_MODULE.endswith(".test"):
            raise CommandError("The test settings never send over SMTP: use local or production.")
        others = Delivery.objects.filter(
            status__in=Delivery.PENDING, due_at__lte=timezone.now() + timedelta(seconds=timeout)
        )
        if others.exists():
            raise CommandError(
                f"{others.count()} other deliveries are pending in this database: the dispatcher "
                "would send them to the benchmark's sink. Run it on a database without them."
            )
        run = uuid.uuid4().hex[:8]
        self.prefix = f"bench:{run}:"
        self.queue = f"bench-{run}"
        workdir = Path(tempfile.mkdtemp(prefix="bench-notifications-"))
        self.sink_log = workdir / "sink.log"
        self.sink_log.touch()
        sink = worker = user = None
        try:
            sink, port = self._start_sink()
            user = User.objects.create_user(f"bench-{run}@example.invalid")
            self._plan(count, user)
            started = time.monotonic()
            worker = self._start_worker(workdir / "worker.log", port, concurrency)
            self.stdout.write(f"Worker ready in {time.monotonic() - started:.1f} s")
            pipeline = self._run_pipeline(count, timeout)
            plain = self._run_plain(port)
        finally:
            started = time.monotonic()
            _stop(worker)
            _stop(sink)
            self.stdout.write(f"Worker and sink stopped in {time.monotonic() - started:.1f} s")
            Delivery.objects.filter(key__startswith=self.prefix).delete()
            if user is not None:
                user.delete()
            self._delete_queue()
            shutil.rmtree(workdir, ignore_errors=True)
        self._report(count, concurrency, pipeline, plain)

    # --- Set-up ----------------------------------------------------------------------------

    def _start_sink(self):
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-c", SINK_MAIN, SINK_HOST, str(port), str(self.sink_log)],
            start_new_session=True,
        )
        if not _wait(lambda: _listening(port), 15):
            _stop(process)
            raise CommandError("The SMTP sink did not start (is aiosmtpd installed?)")
        return process, port

    def _plan(self, count, user):
        from notifications.services import delivery_plan

        content = _reminder_content()
        later = timezone.now() + timedelta(days=1)  # made due when the clock starts
        started = time.monotonic()
        with transaction.atomic():
            for n in range(count):
                delivery_plan(
                    key=f"{self.prefix}{n}",
                    category="reminder",
                    kind="message",
                    email=f"bench{n}@example.invalid",
                    recipient=user,
                    due_at=later,
                    content=content,
                )
        self.stdout.write(f"Planned {count} deliveries in {time.monotonic() - started:.1f} s")

    def _start_worker(self, log_path, port, concurrency):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": SINK_HOST,
            "EMAIL_PORT": str(port),
        }
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "celery", "-A", "promosante", "worker"),
                    *("--pool=prefork", f"--concurrency={concurrency}", "-Q", self.queue),
                    *("-n", f"{self.queue}@%h", "--loglevel=INFO"),
                    *("--without-heartbeat", "--without-mingle", "--without-gossip"),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        ready = _wait(
            lambda: " ready." in log_path.read_text() or process.poll() is not None, 60, 0.2
        )
        if not ready or process.poll() is not None:
            _stop(process)
            raise CommandError(f"The worker did not start:\n{log_path.read_text()[-3000:]}")
        return process

    def _delete_queue(self):
        from promosante.celery import app

        try:
            with app.connection_for_write() as connection:
                # Declared first, so that the channel knows the bindings it must remove too.
                queue = Queue(self.queue, Exchange(self.queue), routing_key=self.queue)
                bound = queue(connection.default_channel)
                bound.declare()
                bound.purge()  # the SQLAlchemy transport keeps consumed messages until purged
                bound.delete()
                bound.exchange.delete()
        except Exception as error:  # noqa: BLE001 - best effort: an empty queue is harmless
            self.stderr.write(f"Could not delete the queue {self.queue}: {error}")

    # --- Runs ------------------------------------------------------------------------------

    def _received(self):
        """(time, Message-ID) of every message the sink accepted so far."""
        text = self.sink_log.read_text()
        lines = text[: text.rfind("\n") + 1].splitlines()  # not a line being written
        return [(float(at), message_id) for at, message_id in (line.split() for line in lines)]

    def _run_pipeline(self, count, timeout):
        from notifications.models import Delivery
        from notifications.services import deliveries_dispatch
        from promosante.celery import app

        app.conf.task_default_queue = self.queue
        app.conf.task_always_eager = False
        rows = Delivery.objects.filter(key__startswith=self.prefix)
        started = time.time()
        rows.update(due_at=timezone.now())
        queued = deliveries_dispatch()
        dispatched = time.time() - started
        if queued < count:
            raise CommandError(f"The dispatcher queued {queued} of {count} deliveries")
        done = _wait(lambda: len(self._received()) >= count, timeout, interval=0.2)
        # Whatever is still on its way gets a moment (duplicates would show).
        _wait(lambda: rows.filter(status__in=Delivery.PENDING).count() == 0, 10, interval=0.2)
        received = self._received()
        expected = {row.message_id for row in rows.only("pk")}
        ours = [(at, message_id) for at, message_id in received if message_id in expected]
        by_id = Counter(message_id for _, message_id in ours)
        statuses = dict(Counter(rows.values_list("status", flat=True)))
        return {
            "complete": done,
            "dispatch": dispatched,
            "elapsed": (max(at for at, _ in ours) - started) if ours else float("nan"),
            "raw": len(ours),
            "unique": len(by_id),
            "duplicate_ids": sum(1 for n in by_id.values() if n > 1),
            "missing": len(expected - set(by_id)),
            "statuses": statuses,
        }

    def _run_plain(self, port):
        from django.core.mail.message import sanitize_address

        from notifications.models import Delivery
        from notifications.services import build_email

        rows = Delivery.objects.filter(key__startswith=self.prefix).select_related("recipient")
        messages = []
        for delivery in rows.order_by("pk"):
            email = build_email(delivery)
            encoding = email.encoding or settings.DEFAULT_CHARSET
            messages.append(
                (
                    sanitize_address(email.from_email, encoding),
                    [sanitize_address(to, encoding) for to in email.recipients()],
                    email.message().as_bytes(linesep="\r\n"),
                )
            )
        before = len(self._received())
        started = time.time()
        with smtplib.SMTP(SINK_HOST, port) as smtp:
            for from_email, recipients, raw in messages:
                smtp.sendmail(from_email, recipients, raw)
        elapsed = time.time() - started
        _wait(lambda: len(self._received()) >= before + len(messages), 10)
        size = sum(len(raw) for _, _, raw in messages) / max(len(messages), 1)
        return {"elapsed": elapsed, "sent": len(self._received()) - before, "size": size}

    # --- Report ----------------------------------------------------------------------------

    def _report(self, count, concurrency, pipeline, plain):
        from django.db import connection

        from promosante.celery import app

        broker = app.conf.broker_url.split("://")[0]
        rate = count / pipeline["elapsed"]
        plain_rate = plain["sent"] / plain["elapsed"]
        ratio = rate / plain_rate
        duplicates = pipeline["raw"] - pipeline["unique"]
        write = self.stdout.write
        write(
            f"Database: {connection.vendor}; broker: {broker}; worker: prefork × {concurrency}; "
            f"batches of {getattr(settings, 'NOTIFICATIONS_BATCH_SIZE', 50)}; "
            f"message: {plain['size'] / 1024:.1f} KiB"
        )
        write(
            f"Pipeline: {pipeline['unique']}/{count} delivered, the last "
            f"{pipeline['elapsed']:.1f} s after the start ({rate:.0f}/s; "
            f"dispatcher {pipeline['dispatch']:.2f} s); rows: {pipeline['statuses']}"
        )
        write(
            f"Duplicates: {pipeline['duplicate_ids']} Message-IDs received more than once, "
            f"{duplicates} extra receptions; missing: {pipeline['missing']}"
        )
        write(
            f"Plain smtplib loop: {plain['sent']} in {plain['elapsed']:.1f} s ({plain_rate:.0f}/s)"
        )
        write(f"Ratio pipeline / plain loop: {ratio:.2f}")
        targets = [
            ("5,000 in 60 s or less", pipeline["elapsed"] * 5000 / count <= 60),
            ("at least half the plain loop's rate", ratio >= 0.5),
            ("no duplicate, none missing", duplicates == 0 and pipeline["missing"] == 0),
        ]
        for label, met in targets:
            write(f"  [{'x' if met else ' '}] {label}")
        if not pipeline["complete"] or pipeline["missing"]:
            raise CommandError("Not every delivery reached the sink in time.")
