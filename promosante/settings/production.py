"""Production: refuses to start without its secrets; `check --deploy` passes."""

from .base import *  # noqa: F403
from .base import env, tune_database

SECRET_KEY = env("SECRET_KEY")  # no default: ImproperlyConfigured when missing
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": tune_database(env.db("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxy in front of gunicorn (TLS): rate limits count per client, not per proxy.
# Either the number of proxies that append to X-Forwarded-For (1: one nginx or load balancer)…
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
# …or a header the proxy sets to the client's address (X-Real-IP, CF-Connecting-IP), which wins.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default=None)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")  # noqa: F405

# Links in e-mails: the site's public address (defaults to the first allowed host, in https).
SITE_URL = env("SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}").rstrip("/")

# Uploaded files (the library's documents, notes' attachments). Local MEDIA_ROOT by default (a
# volume; nothing serves it publicly: files go out through views that check who asks). With
# S3_BUCKET, an S3-compatible object storage (django-storages, the `production` extra): the bucket
# is private, and a reader the application has checked is redirected to a signed URL that lives
# S3_SIGNED_URL_SECONDS (5 minutes by default).
RESOURCES_MAX_UPLOAD_BYTES = env.int("RESOURCES_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
if env("S3_BUCKET", default=""):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "access_key": env("S3_ACCESS_KEY_ID"),  # no default: refused when missing
            "secret_key": env("S3_SECRET_ACCESS_KEY"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),  # Scaleway, OVH, MinIO…
            "region_name": env("S3_REGION", default=None),
            "addressing_style": env("S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("S3_SIGNED_URL_SECONDS", default=300),
            "file_overwrite": False,
        },
    }
