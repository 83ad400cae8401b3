"""The demo and local development: embedded SQLite, server-less broker, e-mails on the console."""

import os
import secrets
from pathlib import Path

os.environ.setdefault("REQUIRE_MFA", "False")
os.environ.setdefault("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
os.environ.setdefault("EMAIL_BACKEND", "notifications.backends.ConsoleEmailBackend")

from .base import *  # noqa: E402, F403
from .base import VAR_DIR, env  # noqa: E402


def installation_secret(path: Path) -> str:
    """This installation's own secret key, made once under var/ (never in the repository).
    The web server, the worker and the scheduler start together: the first writes it, atomically,
    and the others read it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # fails if another process made it first: theirs is kept
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default=None) or installation_secret(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The demo's team account, so that "write to the team" reaches someone who can log in.
TEAM_EMAIL = env("TEAM_EMAIL", default="equipe@demo.example.org")
