"""The Celery app: Redis in production and CI, a server-less SQLite broker in the demo."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "promosante.settings.local")

app = Celery("promosante")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
