"""Production's file storage (issue #13, "Files"): local by default; with S3_BUCKET, a private
S3-compatible bucket whose files go out only by short-lived signed URLs."""

from tests.test_deployment import PRODUCTION_ENV, manage

PRINT_STORAGE = (
    "from django.conf import settings; d = settings.STORAGES['default']; "
    "print(d['BACKEND']); print(sorted(d.get('OPTIONS', {}).items())); "
    "print(settings.RESOURCES_MAX_UPLOAD_BYTES)"
)


def test_production_stores_files_locally_without_a_bucket():
    result = manage("shell", "-c", PRINT_STORAGE, env=PRODUCTION_ENV)
    backend, options, limit = result.stdout.strip().splitlines()[-3:]
    assert backend == "django.core.files.storage.FileSystemStorage", result.stderr
    assert (options, limit) == ("[]", str(20 * 1024 * 1024))


def test_production_s3_bucket_is_private_and_signed():
    env = {
        **PRODUCTION_ENV,
        "S3_BUCKET": "promosante-fichiers",
        "S3_ACCESS_KEY_ID": "id",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
        "RESOURCES_MAX_UPLOAD_BYTES": "1000",
    }
    result = manage("shell", "-c", PRINT_STORAGE, env=env)
    backend, options, limit = result.stdout.strip().splitlines()[-3:]
    assert backend == "storages.backends.s3.S3Storage", result.stderr
    for expected in [
        "('default_acl', 'private')",
        "('querystring_auth', True)",
        "('querystring_expire', 300)",
        "('file_overwrite', False)",
        "('bucket_name', 'promosante-fichiers')",
    ]:
        assert expected in options
    assert limit == "1000"


def test_production_refuses_a_bucket_without_its_keys():
    env = {**PRODUCTION_ENV, "S3_BUCKET": "promosante-fichiers"}
    result = manage("check", env=env)
    assert result.returncode != 0 and "S3_ACCESS_KEY_ID" in result.stderr
