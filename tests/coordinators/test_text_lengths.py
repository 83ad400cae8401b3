"""Every free text of the register's forms has a maximum length (checked by the form, with a
French message, and announced by the `maxlength` attribute) and refuses a NUL byte: nothing is
saved, nothing answers 500 (PostgreSQL refuses NUL)."""

from datetime import date

import pytest
from django.urls import reverse

from coordinators.forms import PARAGRAPH, SECTION
from coordinators.models import HandoverFile, PostClaim, Scheme
from tests.factories import PostFactory, SchemeFactory, TenureFactory, commune
from tests.helpers import profile_form_data

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 20000
NUL = "Diagnostic\x00local"


@pytest.mark.parametrize(
    "field", ["can_help_with", "looking_for", "needs_environment", "needs_skills", "needs_peers"]
)
@pytest.mark.parametrize("value", [TOO_LONG, NUL])
def test_profile_paragraphs_are_bounded(client, coordinator, field, value):
    client.force_login(coordinator)
    page = client.get(reverse("profile")).content.decode()
    assert f'maxlength="{PARAGRAPH}"' in page
    response = client.post(reverse("profile"), profile_form_data(coordinator, **{field: value}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "au plus 2000 caractères" in content or "caractère nul" in content
    coordinator.coordinator_profile.refresh_from_db()
    assert getattr(coordinator.coordinator_profile, field) == ""


@pytest.mark.parametrize("value", [TOO_LONG, NUL])
def test_claim_message_is_bounded(client, coordinator, value):
    post = PostFactory(schemes=[SchemeFactory(commune_codes=["93066"])])
    client.force_login(coordinator)
    assert (
        f'maxlength="{PARAGRAPH}"'
        in client.get(reverse("post_claim", args=[post.pk])).content.decode()
    )
    response = client.post(
        reverse("post_claim", args=[post.pk]), {"started_on": "2026-02-01", "message": value}
    )
    assert response.status_code == 200
    assert not PostClaim.objects.exists()


@pytest.mark.parametrize("field", [name for name, _label in HandoverFile.SECTIONS])
@pytest.mark.parametrize("value", ["x" * (SECTION + 1), NUL])
def test_handover_sections_are_bounded(client, staff, field, value):
    post = PostFactory(schemes=[SchemeFactory(commune_codes=["93066"])])
    TenureFactory(post=post, started_on=date(2021, 5, 1))
    client.force_login(staff)
    page = client.get(reverse("handover", args=[post.pk]), {"modifier": ""}).content.decode()
    assert f'maxlength="{SECTION}"' in page
    response = client.post(reverse("handover", args=[post.pk]), {field: value})
    assert response.status_code == 200
    assert not HandoverFile.objects.filter(post=post).exclude(**{field: ""}).exists()


@pytest.mark.parametrize("value", ["x" * (PARAGRAPH + 1), NUL])
def test_scheme_neighbourhoods_are_bounded(client, staff, value):
    client.force_login(staff)
    response = client.post(
        reverse("scheme_create"),
        {
            "kind": "CLS",
            "name": "CLS de Bondy",
            "communes": [commune("93010").pk],
            "carrier_name": "Ville de Bondy",
            "carrier_kind": "commune",
            "status": "active",
            "qpv_names": value,
        },
    )
    assert response.status_code == 200
    assert not Scheme.objects.filter(name="CLS de Bondy").exists()
