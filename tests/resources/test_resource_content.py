"""A resource has content to be published, and a reading is recorded when its content is opened
(issue 11, #6); bad ids in the resource form answer a form error (#16)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning import pathways
from learning.models import StepCompletion
from resources import services
from resources.models import Resource, ResourceRead
from tests.learning.pathway_factories import PathwayStepFactory, ResourceFactory

pytestmark = pytest.mark.django_db

GUIDE = "LA BOUSSOLE\nLes repères de la démarche locale en santé.\n".encode()


def form(**overrides):
    data = {
        "title": "La boussole",
        "kind": "guide",
        "summary": "Le guide.",
        "audience": "network",
        "is_published": "on",
    }
    return {**data, **overrides}


def test_publishing_without_file_or_link_is_refused_in_the_form(client, staff):
    client.force_login(staff)
    response = client.post(reverse("resource_create"), form())
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Ajoutez un fichier ou un lien avant de publier" in errors["is_published"][0]
    assert not Resource.objects.exists()
    # A draft may wait for its content; a file is content.
    client.post(reverse("resource_create"), form(is_published=""))
    assert Resource.objects.get().is_published is False
    upload = SimpleUploadedFile("boussole.pdf", b"%PDF-1.4 guide", content_type="application/pdf")
    response = client.post(reverse("resource_create"), form(title="Avec fichier", file=upload))
    assert response.status_code == 302
    assert Resource.objects.get(title="Avec fichier").file.name.endswith(".pdf")


def test_removing_the_content_of_a_published_resource_is_refused(client, staff):
    resource = ResourceFactory(url="https://ressources.example.org/b")
    client.force_login(staff)
    response = client.post(reverse("resource_edit", args=[resource.pk]), form(url=""))
    assert response.status_code == 200
    resource.refresh_from_db()
    assert resource.url == "https://ressources.example.org/b"
    with pytest.raises(services.ResourceError, match="Ajoutez un fichier ou un lien"):
        resource.url = ""
        services.resource_save(resource=resource, competencies=[])


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html"),
        SimpleUploadedFile("logo.svg", b"<svg/>", content_type="image/svg+xml"),
    ],
    ids=["html", "svg"],
)
def test_a_file_a_browser_would_run_is_refused(client, staff, upload):
    client.force_login(staff)
    response = client.post(reverse("resource_create"), form(file=upload))
    assert response.status_code == 200
    assert "Ce type de fichier n'est pas accepté" in response.context["form"].errors["file"][0]
    assert not Resource.objects.exists()


def test_opening_a_file_serves_it_and_then_only_counts_as_read(client, coordinator):
    resource = ResourceFactory(url="")
    resource.file.save("boussole.txt", ContentFile(GUIDE))
    step = PathwayStepFactory(kind="resource", resource=resource)
    enrolment = pathways.pathway_join(pathway=step.pathway, person=coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("resource_open", args=[resource.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == GUIDE
    assert response["Content-Type"] == "text/plain; charset=utf-8"  # not read as Latin-1
    assert ResourceRead.objects.filter(resource=resource, person=coordinator).exists()
    assert StepCompletion.objects.get(enrolment=enrolment).source == "reading"


def test_a_file_missing_from_storage_is_not_read(client, coordinator):
    resource = ResourceFactory(url="")
    resource.file.save("perdu.pdf", ContentFile(b"%PDF"))
    resource.file.storage.delete(resource.file.name)
    client.force_login(coordinator)
    response = client.get(reverse("resource_open", args=[resource.pk]), follow=True)
    assert "Le fichier de cette ressource est introuvable." in response.content.decode()
    assert not ResourceRead.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "-1", "0"])
def test_bad_competency_ids_answer_a_form_error(client, staff, bad):
    client.force_login(staff)
    data = form(url="https://ressources.example.org/b", competencies=[bad])
    response = client.post(reverse("resource_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["competencies"]
    assert not Resource.objects.exists()
