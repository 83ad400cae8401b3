"""Whatever is typed or posted to the register's forms (ids in multi-selects, ids of list
items, dates), the answer is a French form error or a 404, never a 500 nor a half-saved row."""

import pytest
from django.urls import reverse

from coordinators.models import Background, Post, Scheme, Tenure
from tests.factories import PostFactory, SchemeFactory, TenureFactory, commune

pytestmark = pytest.mark.django_db

BAD_IDS = ["99999999999999999999", "-1", "abc", "1.5", "0"]


def scheme_data(**changes):
    return {
        "kind": "CLS",
        "name": "CLS de Bondy",
        "communes": [commune("93010").pk],
        "carrier_name": "Ville de Bondy",
        "carrier_kind": "commune",
        "status": "active",
        "signed_on": "2024-01-01",
        "ends_on": "2028-12-31",
        **changes,
    }


@pytest.mark.parametrize("bad", BAD_IDS)
def test_scheme_communes_with_bad_ids_answer_a_form_error(client, staff, bad):
    client.force_login(staff)
    response = client.post(
        reverse("scheme_create"), scheme_data(communes=[commune("93010").pk, bad])
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode() or (
        "n’est pas une valeur correcte" in response.content.decode()
    )
    assert not Scheme.objects.filter(name="CLS de Bondy").exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_post_schemes_with_bad_ids_answer_a_form_error(client, staff, bad):
    scheme = SchemeFactory()
    client.force_login(staff)
    response = client.post(
        reverse("post_create", args=[scheme.pk]),
        {"schemes": [scheme.pk, bad], "fte": "1", "opened_on": "2024-01-01"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Sélectionnez un choix valide" in content or "n’est pas une valeur correcte" in content
    assert not Post.objects.filter(schemes=scheme).exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_profile_topics_with_bad_ids_answer_a_form_error(client, coordinator, bad):
    client.force_login(coordinator)
    profile = coordinator.coordinator_profile
    response = client.post(
        reverse("profile"),
        {
            "user-first_name": coordinator.first_name,
            "user-last_name": "Nouveau-Nom",
            "profile-commune": profile.commune.pk,
            "profile-topics": [bad],
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Sélectionnez un choix valide" in content or "n’est pas une valeur correcte" in content
    coordinator.refresh_from_db()
    assert coordinator.last_name != "Nouveau-Nom"  # nothing half-saved


@pytest.mark.parametrize("bad", ["abc", "²", "1.5", "99999999999999999999", "-3"])
def test_a_list_item_named_by_a_bad_id_is_not_found(client, staff, bad):
    before = set(Background.objects.values_list("pk", "name"))
    client.force_login(staff)
    url = reverse("manage:lists", args=["parcours"])
    for action in ("rename", "delete"):
        response = client.post(url, {"pk": bad, "name": "Autre", "action": action})
        assert response.status_code == 404, (bad, action)
    assert set(Background.objects.values_list("pk", "name")) == before


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1900-05-01"])
def test_dates_typed_in_the_register_have_bounds(client, staff, day):
    client.force_login(staff)
    response = client.post(reverse("scheme_create"), scheme_data(signed_on=day))
    assert response.status_code == 200
    assert "Indiquez une date" in response.content.decode()
    scheme = SchemeFactory()
    response = client.post(
        reverse("post_create", args=[scheme.pk]),
        {"schemes": [scheme.pk], "fte": "1", "opened_on": day},
    )
    assert "Indiquez une date" in response.content.decode()
    tenure = TenureFactory(post=PostFactory(schemes=[scheme]))
    for url, data in (
        (reverse("post_arrival", args=[tenure.post.pk]), {"started_on": day}),
        (reverse("tenure_departure", args=[tenure.pk]), {"ended_on": day, "reason": "other"}),
        (reverse("tenure_edit", args=[tenure.pk]), {"started_on": day}),
    ):
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert "Indiquez une date" in response.content.decode(), url
    tenure.refresh_from_db()
    assert tenure.ended_on is None and str(tenure.started_on) != day
    assert Tenure.objects.count() == 1
