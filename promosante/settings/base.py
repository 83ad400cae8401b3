"""Settings shared by every environment; values come from the environment."""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# What the embedded demo writes: its database, broker, cache, secret key, uploaded files.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None)  # each environment says where it comes from
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "csp",
    # The floors of docs/architecture.md, from the ground up.
    "core",
    "territories",
    "notifications",
    "accounts",
    "competencies",
    "coordinators",
    "agenda",
    "resources",
    "learning",
    "network",
    "dashboards",
    "demo",
    "promosante",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.AccessMiddleware",
]

ROOT_URLCONF = "promosante.urls"
WSGI_APPLICATION = "promosante.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.access",
            ],
        },
    },
]

# Database: embedded SQLite unless DATABASE_URL says otherwise (PostgreSQL in production and CI).
SQLITE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=SQLITE_URL)}


def tune_database(database):
    """SQLite: web server and worker write at the same time: WAL, IMMEDIATE transactions, busy
    timeout. PostgreSQL: no JIT: it compiled each of the dashboard's aggregates for ~100 ms
    before running it in a few (docs/performance.md, "Tableau de bord")."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    return database


tune_database(DATABASES["default"])
# No ATOMIC_REQUESTS: the URL map wraps each view with core.transactions.atomic_writes, which runs
# requests that may write in one transaction and lets reads never wait for the write lock.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "promosante",
        }
    }
else:
    # Shared by the web server's processes, so rate limits hold without a server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

# Accounts: e-mail is the login, verification is mandatory.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "coordinators.forms.CoordinatorSignupForm"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Brute force on one account: 5 failed logins per 5 minutes, then refused.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Réseau des coordinateurs] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Réseau des coordinateurs IdF"
# Staff and partners must enrol a TOTP device before using the platform.
REQUIRE_MFA = env.bool("REQUIRE_MFA", default=True)
INVITATION_VALIDITY_DAYS = 14

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Interface: French, Paris time.
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # a hanging server must not block a worker
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Réseau des coordinateurs IdF <reseau@promosante-idf.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The PromoSanté team's address, where people write to ask for help (a tutor, a correction).
TEAM_EMAIL = env("TEAM_EMAIL", default="equipe@promosante-idf.fr")

# Security headers. No inline script or style anywhere: the policy below must hold.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# Celery: Redis in production and CI, a server-less SQLite broker for the demo.
CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL", default=REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE = {
    "dispatch-deliveries": {
        "task": "notifications.tasks.dispatch",
        "schedule": 60,
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 60 * 60,
    },
    "refresh-waitlists": {
        "task": "agenda.tasks.refresh_waitlists",
        "schedule": 5 * 60,
    },
    # Hourly, doing its work once a day after 7:00 (Paris): the digest of peers' questions.
    "questions-digest": {
        "task": "network.tasks.questions_digest",
        "schedule": 60 * 60,
    },
    # Hourly, planning once a week from Monday 7:00 (Paris): the weekly digest of coordinators.
    "weekly-digest": {
        "task": "network.tasks.weekly_digest",
        "schedule": 60 * 60,
    },
}

# Deliveries (see notifications.services): a row in "sending" longer than STUCK_AFTER seconds
# belonged to a worker that died; a due row queued REQUEUE_AFTER seconds ago and still due was lost
# by the broker; failures are retried after RETRY_BASE × 2^n seconds, MAX_ATTEMPTS times at most.
NOTIFICATIONS_STUCK_AFTER = env.int("NOTIFICATIONS_STUCK_AFTER", default=600)
NOTIFICATIONS_REQUEUE_AFTER = env.int("NOTIFICATIONS_REQUEUE_AFTER", default=300)
NOTIFICATIONS_RETRY_BASE = env.int("NOTIFICATIONS_RETRY_BASE", default=60)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=50)
# The send task's time limit; STUCK_AFTER is never shorter (a running batch is not "stuck").
NOTIFICATIONS_SEND_TIME_LIMIT = env.int("NOTIFICATIONS_SEND_TIME_LIMIT", default=300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.security": {"level": "INFO"}},
}
CSRF_FAILURE_VIEW = "promosante.views.csrf_failure"

# Absolute links in e-mails sent outside a request (reminders, handover requests).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
