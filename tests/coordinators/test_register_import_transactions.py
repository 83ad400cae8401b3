"""The register import's pages read the file outside any transaction (a long upload must hold no
lock, core/transactions.py) and the import writes all or nothing, in one transaction."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.urls import reverse

from coordinators import imports
from coordinators.models import Scheme
from tests.coordinators.test_imports import SCHEME_HEADER, csv_file, scheme_row

pytestmark = [pytest.mark.django_db(transaction=True)]


def two_schemes():
    return csv_file(
        SCHEME_HEADER,
        [
            scheme_row(),
            scheme_row(nom="Contrat local de santé de Bobigny", communes="93008"),
        ],
    )


def preview(client, content):
    return client.post(
        reverse("imports:index"),
        {"kind": "dispositifs", "file": SimpleUploadedFile("dispositifs.csv", content)},
    )


def test_the_file_is_read_outside_any_transaction_and_applied_in_one(client, staff, monkeypatch):
    reads, applies = [], []
    read_table, apply_rows = imports._read_table, imports._SchemeImporter.apply

    def spy_read(*args, **kwargs):
        reads.append(connection.in_atomic_block)
        return read_table(*args, **kwargs)

    def spy_apply(self, result, values):
        applies.append(connection.in_atomic_block)
        return apply_rows(self, result, values)

    monkeypatch.setattr(imports, "_read_table", spy_read)
    monkeypatch.setattr(imports._SchemeImporter, "apply", spy_apply)
    client.force_login(staff)
    response = preview(client, two_schemes())
    assert response.status_code == 200 and response.context["report"].ok
    assert not Scheme.objects.filter(name__startswith="Contrat local de santé de").exists()
    response = client.post(reverse("imports:confirm"), {"token": response.context["token"]})
    assert response.status_code == 302
    assert reads == [False, False]  # the preview, then the confirmation
    assert applies and all(applies)
    assert Scheme.objects.filter(name__startswith="Contrat local de santé de").count() == 2


def test_the_confirmation_saves_all_or_nothing(client, staff, monkeypatch):
    client.force_login(staff)
    response = preview(client, two_schemes())
    token = response.context["token"]
    apply_rows = imports._SchemeImporter.apply

    def fails_on_bobigny(self, result, values):
        apply_rows(self, result, values)
        if "Bobigny" in values["name"]:
            raise IntegrityError("refusé pour le test")

    monkeypatch.setattr(imports._SchemeImporter, "apply", fails_on_bobigny)
    response = client.post(reverse("imports:confirm"), {"token": token})
    assert response.status_code == 200
    assert "Refusé par la base de données (refusé pour le test)" in response.content.decode()
    assert not Scheme.objects.filter(name__startswith="Contrat local de santé de").exists()
