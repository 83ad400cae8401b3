"""Production refuses to start without its secrets, passes `check --deploy`, and the
compose file describes the services the SPEC asks for."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x7!kQ2#pL9@vR4$tY8%wZ1^bN6&mC3*hJ5(dF0)gS2-aE7+uI4=oP9_lK8;jH6:",
    "ALLOWED_HOSTS": "reseau.promosante-idf.fr",
    "DATABASE_URL": "postgres://u:p@localhost:5432/promosante",
}


def manage(*args, env):
    excluded = {*PRODUCTION_ENV, "REDIS_URL", "DEBUG"}
    base = {k: v for k, v in os.environ.items() if k not in excluded}
    base["DJANGO_SETTINGS_MODULE"] = "promosante.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_check_deploy_passes():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_links_in_emails_use_the_public_https_address():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        env=PRODUCTION_ENV,
    )
    site_url = result.stdout.strip().splitlines()[-1]
    assert site_url == "https://reseau.promosante-idf.fr", result.stderr


def test_compose_file_names_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "scheduler", "postgres", "redis", "mailcatcher"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["scheduler"]["command"]
    assert services["scheduler"]["deploy"]["replicas"] == 1


def test_vendored_assets_match_their_checksums():
    vendor = ROOT / "static" / "vendor"
    lines = (vendor / "SHA256SUMS").read_text().splitlines()
    assert lines
    for line in lines:
        digest, name = line.split()
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name


def test_every_process_of_the_demo_links_to_the_port_it_serves_on():
    """`make demo PORT=8765`: seeding, web, worker and scheduler all write links to :8765."""
    result = subprocess.run(
        ["make", "-n", "demo", "PORT=8765"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    commands = [
        line for line in result.stdout.splitlines() if "manage.py" in line or "honcho" in line
    ]
    assert any("seed_demo" in line for line in commands)
    assert any("honcho" in line for line in commands)
    for line in commands:
        assert "SITE_URL=http://127.0.0.1:8765 " in line, line


def _local_setting(name, var_dir, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "promosante.settings.local",
            "VAR_DIR": str(var_dir),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_demo_makes_its_own_secret_key_once_per_installation(tmp_path):
    first = _local_setting("SECRET_KEY", tmp_path / "a")
    assert first == _local_setting("SECRET_KEY", tmp_path / "a")  # kept across restarts
    assert first != _local_setting("SECRET_KEY", tmp_path / "b")  # another installation
    assert len(first) >= 50 and "insecure" not in first
    assert (tmp_path / "a" / "secret_key").stat().st_mode & 0o077 == 0  # only its owner reads it
    assert "local-only-insecure" not in (ROOT / "promosante" / "settings" / "local.py").read_text()
    assert _local_setting("SITE_URL", tmp_path / "a", SITE_URL="http://127.0.0.1:8765/") == (
        "http://127.0.0.1:8765"
    )


def test_production_trusts_the_proxy_named_in_the_environment():
    def setting(name, **env):
        result = manage(
            "shell",
            "-c",
            f"from django.conf import settings; print(settings.{name})",
            env={**PRODUCTION_ENV, **env},
        )
        return result.stdout.strip().splitlines()[-1]

    assert setting("ALLAUTH_TRUSTED_PROXY_COUNT") == "1"
    assert setting("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2") == "2"
    assert setting("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") == "None"
    assert setting("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", TRUSTED_CLIENT_IP_HEADER="X-Real-IP") == (
        "X-Real-IP"
    )


def test_the_url_map_loads_before_collectstatic(settings, tmp_path):
    """`make demo` runs management commands (which load the URL map) before `collectstatic`:
    nothing in the URL map may ask the hashed static files' manifest for a name."""
    import importlib

    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.urls import clear_url_caches

    import promosante.urls

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    staticfiles_storage._wrapped = None  # take the new storage
    try:
        importlib.reload(promosante.urls)
    finally:
        clear_url_caches()
        staticfiles_storage._wrapped = None
