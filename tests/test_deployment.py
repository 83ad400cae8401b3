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
