"""Uploads to the library (issue #13, "Files" and "Bad input"): the type is read from the
content, the extension must agree, the size is bounded, names are made safe and never overwrite;
a refused file stores nothing. Serving: restricted files only to their readers."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources import files, services
from resources.models import Resource, ResourceRead
from resources.models.library import ResourceVersion
from tests.learning.pathway_factories import ResourceFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")])
XLSX = zipped([("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")])
PPTX = zipped([("[Content_Types].xml", "<Types/>"), ("ppt/presentation.xml", "<p/>")])
ODT = zipped([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>")])
ODS = zipped(
    [("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")]
)
ODP = zipped(
    [("mimetype", "application/vnd.oasis.opendocument.presentation"), ("content.xml", "<x/>")]
)
CSV = b"commune;coordinateur\nSarcelles;Julien Moreau\n"


def form(**overrides):
    data = {
        "title": "Fiche repère : le diagnostic local de santé",
        "kind": "factsheet",
        "audience": "network",
        "is_published": "on",
    }
    return {**data, **overrides}


def stored_files():
    found = []
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            subfolders, names = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        folders += [f"{folder}/{s}".lstrip("/") for s in subfolders]
        found += [f"{folder}/{n}".lstrip("/") for n in names]
    return found


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("guide.pdf", PDF),
        ("photo.png", PNG),
        ("photo.jpg", JPEG),
        ("photo.jpeg", JPEG),
        ("trame.docx", DOCX),
        ("budget.xlsx", XLSX),
        ("support.pptx", PPTX),
        ("trame.odt", ODT),
        ("budget.ods", ODS),
        ("support.odp", ODP),
        ("liste.csv", CSV),
        ("notes.txt", "Repères pour l’élu·e\n".encode()),
    ],
)
def test_accepted_documents_are_stored(client, staff, name, data):
    client.force_login(staff)
    response = client.post(reverse("resource_create"), form(file=SimpleUploadedFile(name, data)))
    assert response.status_code == 302, response.context["form"].errors
    resource = Resource.objects.get()
    assert resource.file.name.endswith(name.rsplit(".", 1)[1])
    assert resource.file.read() == data
    assert ResourceVersion.objects.get(resource=resource).file.name == resource.file.name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("programme.exe", b"MZ\x90\x00binary", "Ce type de fichier n'est pas accepté"),
        ("page.html", b"<script>alert(1)</script>", "Ce type de fichier n'est pas accepté"),
        ("logo.svg", b"<svg/>", "Ce type de fichier n'est pas accepté"),
        ("sans-extension", PDF, "Ce type de fichier n'est pas accepté"),
        # A lying extension: the content says otherwise.
        ("rapport.pdf", b"MZ\x90\x00\x03\x00binary\x00", "n'est pas d'un type accepté"),
        ("rapport.pdf", DOCX, "mais son contenu est un document Word"),
        ("trame.docx", PDF, "mais son contenu est un PDF"),
        ("photo.png", JPEG, "mais son contenu est une image JPEG"),
        ("notes.txt", PNG, "mais son contenu est une image PNG"),
        ("trame.odt", XLSX, "mais son contenu est un classeur Excel"),
        ("archive.docx", zipped([("a.txt", "x")]), "n'est pas d'un type accepté"),
        ("binaire.txt", b"texte\x00avec NUL", "n'est pas d'un type accepté"),
        ("latin1.csv", "Créteil;Évry".encode("latin-1"), "n'est pas d'un type accepté"),
        ("vide.pdf", b"", "vide"),
    ],
)
def test_a_refused_file_says_why_and_stores_nothing(client, staff, name, data, message):
    client.force_login(staff)
    before = stored_files()
    response = client.post(reverse("resource_create"), form(file=SimpleUploadedFile(name, data)))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get("file", [])), errors
    assert not Resource.objects.exists() and not ResourceVersion.objects.exists()
    assert stored_files() == before


def test_a_file_too_large_is_refused(client, staff, settings):
    settings.RESOURCES_MAX_UPLOAD_BYTES = 1024
    client.force_login(staff)
    before = stored_files()
    upload = SimpleUploadedFile("gros.pdf", PDF + b"0" * 2000)
    response = client.post(reverse("resource_create"), form(file=upload))
    assert response.context["form"].errors["file"] == ["Ce fichier fait 3 Ko : 1 Ko au plus."]
    assert not Resource.objects.exists() and stored_files() == before


def test_the_default_limit_is_20_mb(settings):
    del settings.RESOURCES_MAX_UPLOAD_BYTES
    assert files.max_upload_bytes() == 20 * 1024 * 1024
    upload = SimpleUploadedFile("gros.pdf", b"")
    upload.size = 20 * 1024 * 1024 + 1
    with pytest.raises(files.ValidationError, match="fait 20 Mo : 20 Mo au plus"):
        files.validate_upload(upload)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.pdf", "system.pdf"),
        ("Fiche repère (v2) — élu·es.pdf", "fiche-repere-v2-elu-es.pdf"),
        ("Œuvre.PDF", "oeuvre.pdf"),
        (".pdf", "document.pdf"),
    ],
)
def test_names_are_made_safe(name, expected):
    assert files.safe_name(name, extension="pdf") == expected


def test_a_path_in_the_name_never_leaves_the_folder_and_a_long_name_is_shortened(client, staff):
    client.force_login(staff)
    client.post(
        reverse("resource_create"),
        form(file=SimpleUploadedFile("../../etc/passwd.pdf", PDF)),
    )
    resource = Resource.objects.get()
    assert resource.file.name.startswith("ressources/")
    assert resource.file.name.rsplit("/", 1)[1] == "passwd.pdf"
    long_name = "x" * 296 + ".pdf"
    client.post(
        reverse("resource_create"), form(title="Long", file=SimpleUploadedFile(long_name, PDF))
    )
    stored = Resource.objects.get(title="Long").file.name.rsplit("/", 1)[1]
    assert stored.endswith(".pdf") and len(stored) <= files.NAME_MAX_LENGTH


def test_a_name_already_taken_is_never_overwritten(client, staff):
    client.force_login(staff)
    for title, data in [("Un", PDF), ("Deux", PDF + b"% deux\n")]:
        upload = SimpleUploadedFile("boussole.pdf", data)
        assert (
            client.post(reverse("resource_create"), form(title=title, file=upload)).status_code
            == 302
        )
    first, second = Resource.objects.get(title="Un"), Resource.objects.get(title="Deux")
    assert first.file.name != second.file.name
    assert first.file.read() == PDF and second.file.read() == PDF + b"% deux\n"


def test_the_service_checks_files_too(staff):
    from django.core.files.base import ContentFile

    before = stored_files()
    resource = Resource(title="Faux", kind="guide", is_published=False)
    resource.file = ContentFile(b"MZ\x90\x00\x00", name="faux.pdf")
    with pytest.raises(services.ResourceError, match="n'est pas d'un type accepté"):
        services.resource_save(resource=resource, competencies=[])
    assert not Resource.objects.exists() and stored_files() == before


# --- Serving -------------------------------------------------------------------------------------


def with_file(audience, name="boussole.pdf", data=PDF):
    resource = ResourceFactory(url="", audience=audience)
    resource.file.save(name, SimpleUploadedFile(name, data))
    return resource


def test_a_restricted_file_is_refused_to_a_visitor_and_to_a_partner_outside_its_audience(
    client, dd93
):
    resource = with_file(Resource.Audience.COORDINATORS)
    for url in [
        reverse("resource", args=[resource.pk]),
        reverse("resource_open", args=[resource.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
        assert "media" not in response["Location"]
    client.force_login(dd93)
    assert client.get(reverse("resource", args=[resource.pk])).status_code == 404
    assert client.get(reverse("resource_open", args=[resource.pk])).status_code == 404
    assert client.get(reverse("resources")).context["page"].paginator.count == 0
    assert not ResourceRead.objects.exists()


def test_a_public_resource_opens_without_an_account(client):
    resource = with_file(Resource.Audience.PUBLIC, "reperes.txt", "Les repères.\n".encode())
    page = client.get(reverse("resource", args=[resource.pk]))
    assert page.status_code == 200 and b"!!UNKNOWN" not in page.content
    assert "Ouvrir la ressource" in page.content.decode()
    response = client.get(reverse("resource_open", args=[resource.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "Les repères.\n".encode()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert not ResourceRead.objects.exists()


def test_an_office_file_is_downloaded_not_shown(client, coordinator):
    resource = with_file(Resource.Audience.NETWORK, "trame.docx", DOCX)
    client.force_login(coordinator)
    response = client.get(reverse("resource_open", args=[resource.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="trame')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_remote_storage_answers_a_signed_url(client, coordinator, monkeypatch):
    resource = with_file(Resource.Audience.NETWORK)
    storage = resource.file.storage
    monkeypatch.setattr(storage, "querystring_auth", True, raising=False)
    monkeypatch.setattr(
        storage, "url", lambda name: f"https://s3.example.org/{name}?X-Amz-Signature=abc"
    )
    client.force_login(coordinator)
    response = client.get(reverse("resource_open", args=[resource.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("?X-Amz-Signature=abc")


def test_media_files_have_no_public_url(client, settings):
    resource = with_file(Resource.Audience.COORDINATORS)
    response = client.get("/" + settings.MEDIA_URL.strip("/") + "/" + resource.file.name)
    assert response.status_code in (302, 404)
    assert response.status_code == 404 or "media" not in response["Location"]


def test_the_admin_checks_uploads_too(client, superuser):
    client.force_login(superuser)
    data = {
        "title": "Page piégée",
        "kind": "guide",
        "audience": "network",
        "scheme_types": "[]",
        "file": SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script></html>"),
    }
    before = stored_files()
    response = client.post(reverse("admin:resources_resource_add"), data)
    assert response.status_code == 200
    errors = response.context_data["adminform"].form.errors
    assert "mais son contenu est un texte" in errors["file"][0], errors
    assert not Resource.objects.exists() and stored_files() == before
