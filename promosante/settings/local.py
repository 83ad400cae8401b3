"""The demo and local development: embedded SQLite, server-less broker, e-mails on the console."""

import os

os.environ.setdefault("SECRET_KEY", "local-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("REQUIRE_MFA", "False")
os.environ.setdefault("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
