"""A real Celery worker process picks up a task from the broker and works on the database.

Redis is the broker of production and CI; the SQLite (SQLAlchemy) transport is the demo's
server-less broker and must behave the same.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from promosante.celery import app
from tests.conftest import redis_url

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "localhost", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """Start a worker on a private queue of the given broker; stop it after the test."""
    processes = []
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115

    def start(broker):
        queue = f"test-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "promosante.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker,
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "promosante",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return queue

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=20)
    log.close()
    print(log_path.read_text()[-3000:])


def wait_until(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def expired_session():
    return Session.objects.create(
        session_key=uuid.uuid4().hex,
        session_data="e30:1",
        expire_date=timezone.now() - timedelta(days=1),
    )


def run_on(broker, queue):
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False  # a real worker runs it
    try:
        with app.connection_for_write(broker) as conn:
            app.send_task("accounts.tasks.clear_expired_sessions", queue=queue, connection=conn)
    finally:
        app.conf.task_always_eager = eager


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_sent_through_redis(worker):
    broker = redis_url()
    session = expired_session()
    queue = worker(broker)
    run_on(broker, queue)
    assert wait_until(lambda: not Session.objects.filter(pk=session.pk).exists())


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_sent_through_the_demo_sqlite_broker(worker, tmp_path):
    broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    session = expired_session()
    queue = worker(broker)
    run_on(broker, queue)
    assert wait_until(lambda: not Session.objects.filter(pk=session.pk).exists())
