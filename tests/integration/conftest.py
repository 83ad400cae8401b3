"""Fixtures of the delivery tests: a real SMTP sink, Redis as the broker, real worker processes.

Each test gets a Redis database of its own (15, or 15 - n under pytest-xdist worker gwN), emptied
before and after it, and a private queue; the test process is pointed at the same broker and
queue, with tasks no longer run eagerly.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
import redis
from django.apps import apps
from django.db import connection
from kombu import pools

from notifications import services
from promosante.celery import app
from tests.conftest import redis_url

from .smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]

# Short enough for a test. STUCK_AFTER must exceed the time a whole batch takes (it is claimed at
# once), even on a loaded machine: rows freed while their worker still holds them would be sent
# twice.
NOTIFICATIONS = {
    "STUCK_AFTER": 10,
    "SEND_TIME_LIMIT": 8,
    "REQUEUE_AFTER": 2,
    "RETRY_BASE": 1,
    "MAX_ATTEMPTS": 3,
    "BATCH_SIZE": 50,
}

# The worker runs the test settings, which always use the in-memory e-mail backend: it is given
# the SMTP one here. TEST_CLOCK_OFFSET moves its clock (time-machine, ticking) by that many
# seconds; its prefork children inherit the moved clock.
WORKER_MAIN = """
import os, sys, time
from django.conf import settings
settings.EMAIL_BACKEND = os.environ["EMAIL_BACKEND"]
offset = float(os.environ.get("TEST_CLOCK_OFFSET") or 0)
if offset:
    import time_machine
    time_machine.travel(time.time() + offset, tick=True).start()
from celery.__main__ import main
main()
"""


def database_url():
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "localhost", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


def wait_until(predicate, timeout=20, interval=0.2, each=None):
    """Poll `predicate` until it is true; `each` runs before every poll (a dispatcher)."""
    deadline = time.monotonic() + timeout
    while True:
        if each is not None:
            each()
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)


def dispatch():
    """What the scheduler does every minute, run by the test whenever it wants."""
    return services.deliveries_dispatch()


# --- SMTP ---------------------------------------------------------------------------------------


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


# --- Broker -------------------------------------------------------------------------------------


class Broker:
    def __init__(self, url, queue):
        self.url = url
        self.queue = queue
        self.client = redis.Redis.from_url(url)

    def queued(self):
        """Messages waiting in the queue (not those a worker holds unacknowledged)."""
        return self.client.llen(self.queue)

    def flush(self):
        self.client.flushdb()


def _reset_producer_pools():
    """Connections and producers are pooled per broker URL: start afresh on the new one."""
    pools.reset()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


def _test_redis_db():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1… under pytest-xdist
    return 15 - (int(worker[2:]) if worker.startswith("gw") else 0)


@pytest.fixture
def broker():
    """A Redis database and a queue of the test's own; the test process sends its tasks there."""
    parsed = urlparse(redis_url())
    url = urlunparse(parsed._replace(path=f"/{_test_redis_db()}"))
    broker = Broker(url, f"test-notifications-{uuid.uuid4().hex[:8]}")
    broker.flush()
    keys = ("broker_url", "task_default_queue", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=url, task_default_queue=broker.queue, task_always_eager=False)
    _reset_producer_pools()
    yield broker
    app.conf.update(saved)
    _reset_producer_pools()
    broker.flush()
    broker.client.close()


# --- Settings of the test process (the dispatcher it runs) -------------------------------------


@pytest.fixture
def notification_settings(settings):
    for name, value in NOTIFICATIONS.items():
        setattr(settings, f"NOTIFICATIONS_{name}", value)
    return settings


@pytest.fixture
def reminder_rules(transactional_db):
    """The default rules of the data migration (a transactional test flushed them)."""
    from importlib import import_module

    migration = import_module("agenda.migrations.0002_default_reminder_rules")
    migration.create_rules(apps, None)


# --- Workers ------------------------------------------------------------------------------------


class Worker:
    def __init__(self, process, log_path):
        self.process = process
        self.log_path = log_path

    @property
    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout=30):
        if not wait_until(
            lambda: " ready." in self.log or self.process.poll() is not None, timeout
        ):
            raise AssertionError(f"The worker did not start:\n{self.log[-3000:]}")
        if self.process.poll() is not None:
            raise AssertionError(f"The worker exited:\n{self.log[-3000:]}")
        return self

    def kill(self):
        """SIGKILL the whole process group: the main process and its pool at once."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is not None:
            return
        self.process.terminate()  # the main process stops its pool (warm shutdown)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def start_worker(tmp_path, broker, smtp_sink, notification_settings):
    """Start a Celery worker process on the test's broker and queue, sending to the sink."""
    workers = []

    def start(concurrency=2, clock_offset=0, **notifications):
        name = f"worker{len(workers)}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "promosante.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker.url,
            "CELERY_TASK_DEFAULT_QUEUE": broker.queue,
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": smtp_sink.host,
            "EMAIL_PORT": str(smtp_sink.port),
            "TEST_CLOCK_OFFSET": str(clock_offset),
            **{
                f"NOTIFICATIONS_{key}": str(value)
                for key, value in {**NOTIFICATIONS, **notifications}.items()
            },
        }
        log_path = tmp_path / f"{name}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    WORKER_MAIN,
                    "-A",
                    "promosante",
                    "worker",
                    "--pool=prefork",
                    f"--concurrency={concurrency}",
                    "-Q",
                    broker.queue,
                    "-n",
                    f"{name}-{broker.queue}@%h",
                    "--loglevel=INFO",
                    "--without-heartbeat",
                    "--without-mingle",
                    "--without-gossip",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as a whole
            )
        worker = Worker(process, log_path)
        workers.append(worker)
        return worker.wait_ready()

    yield start
    for worker in workers:
        worker.stop()
    for worker in workers:
        log = worker.log
        if "Traceback" in log:
            print(f"--- {worker.log_path.name}\n{log[-6000:]}")
