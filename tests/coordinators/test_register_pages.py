"""Pages of the register: role × page × action, territorial scope, and forms."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from coordinators.models import HandoverFile, PostClaim, Scheme, Tenure
from tests.factories import (
    CoordinatorProfileFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    commune,
)
from tests.helpers import login, profile_form_data
from tests.test_permissions import MEMBERS, ROLES, TEAM

pytestmark = pytest.mark.django_db


@pytest.fixture
def paris_and_93(db):
    """A scheme in Seine-Saint-Denis and one in Paris, each with a held post."""
    s93 = SchemeFactory(name="CLS de Saint-Denis", commune_codes=["93066"])
    s75 = SchemeFactory(
        name="CLS de Paris 18e",
        commune_codes=["75118"],
        department=commune("75118").department,
        carrier_name="Ville de Paris",
    )
    holders = {}
    for key, scheme in (("93", s93), ("75", s75)):
        post = PostFactory(schemes=[scheme])
        holder = CoordinatorProfileFactory(commune=scheme.communes.first()).user
        TenureFactory(post=post, person=holder, started_on=date(2021, 5, 1))
        HandoverFile.objects.create(post=post, tips=f"Conseil secret {key}")
        holders[key] = (scheme, post, holder)
    return holders


def expected_refusal(role):
    return 302 if role == "anonymous" else 403


@pytest.mark.parametrize("role", ROLES)
def test_register_pages_by_role(client, user_for_role, role, paris_and_93):
    scheme, post, holder = paris_and_93["93"]
    tenure = Tenure.objects.get(post=post)
    login(client, user_for_role(role))
    pages = {
        reverse("schemes"): MEMBERS,
        reverse("scheme", args=[scheme.pk]): MEMBERS,
        reverse("scheme_create"): TEAM,
        reverse("scheme_edit", args=[scheme.pk]): TEAM,
        reverse("post_create", args=[scheme.pk]): TEAM,
        reverse("post_edit", args=[post.pk]): TEAM,
        reverse("post_arrival", args=[post.pk]): TEAM,
        reverse("tenure_departure", args=[tenure.pk]): TEAM,
        reverse("tenure_edit", args=[tenure.pk]): TEAM,
        reverse("claims"): TEAM,
        reverse("post_claim", args=[post.pk]): {"coordinator"},
    }
    for url, allowed in pages.items():
        response = client.get(url)
        expected = 200 if role in allowed else expected_refusal(role)
        assert response.status_code == expected, (url, role)
        if expected == 200:
            assert b"!!UNKNOWN" not in response.content, url


@pytest.mark.parametrize(
    ("role", "status_93", "status_75"),
    [
        ("anonymous", 302, 302),
        ("pending", 403, 403),
        ("coordinator", 404, 404),  # a peer, not the author
        ("staff", 200, 200),
        ("superuser", 200, 200),
        ("partner_dd93", 200, 404),  # personal data of Paris: not even its existence
        ("partner_crpv95", 404, 404),
        ("partner_ars", 200, 200),
    ],
)
def test_handover_file_is_read_by_staff_the_territory_and_its_authors(
    client, user_for_role, paris_and_93, role, status_93, status_75
):
    login(client, user_for_role(role))
    for key, expected in (("93", status_93), ("75", status_75)):
        _scheme, post, _holder = paris_and_93[key]
        response = client.get(reverse("handover", args=[post.pk]))
        assert response.status_code == expected, (role, key)
        if expected == 200:
            assert f"Conseil secret {key}" in response.content.decode()


def test_partner_sees_another_territory_scheme_without_personal_data(client, dd93, paris_and_93):
    scheme, post, holder = paris_and_93["75"]
    client.force_login(dd93)
    page = client.get(reverse("scheme", args=[scheme.pk])).content.decode()
    assert "CLS de Paris 18e" in page
    assert "Historique des prises de poste" not in page
    assert "01/05/2021" not in page and "1 mai 2021" not in page
    # Nor who holds the post: their name and card are individual data of Paris.
    assert holder.last_name not in page and holder.email not in page
    assert "Poste de coordination" in page  # the post and its status are still there
    own_scheme, _own_post, own_holder = paris_and_93["93"]
    own = client.get(reverse("scheme", args=[own_scheme.pk])).content.decode()
    assert "Historique des prises de poste" in own
    assert own_holder.last_name in own


def test_partner_list_follows_its_territory(client, dd93, crpv95, paris_and_93):
    client.force_login(dd93)
    names = [s.name for s in client.get(reverse("schemes")).context["page"]]
    assert names == ["CLS de Saint-Denis"]
    client.force_login(crpv95)
    assert list(client.get(reverse("schemes")).context["page"]) == []


def test_coordinators_see_the_whole_network_and_current_holders(client, coordinator, paris_and_93):
    client.force_login(coordinator)
    page = client.get(reverse("schemes")).content.decode()
    assert "CLS de Paris 18e" in page and "CLS de Saint-Denis" in page
    scheme, _post, holder = paris_and_93["75"]
    detail = client.get(reverse("scheme", args=[scheme.pk])).content.decode()
    assert holder.get_full_name() in detail
    assert "Historique des prises de poste" not in detail


def test_holder_and_recent_leaver_edit_the_handover_file(client, paris_and_93):
    scheme, post, holder = paris_and_93["93"]
    client.force_login(holder)
    response = client.post(
        reverse("handover", args=[post.pk]), {"partners": "Mme X, CCAS", "tips": "Voir l'élue."}
    )
    assert response.status_code == 302
    handover = HandoverFile.objects.get(post=post)
    assert handover.partners == "Mme X, CCAS"
    assert handover.updated_by_name == holder.get_full_name()

    # The author leaves; a new person arrives and finds the file even once the author's
    # account is closed.
    tenure = Tenure.objects.get(post=post)
    tenure.ended_on = date.today() - timedelta(days=10)
    tenure.save()
    newcomer = CoordinatorProfileFactory().user
    TenureFactory(post=post, person=newcomer, started_on=date.today())
    holder.delete()
    client.force_login(newcomer)
    page = client.get(reverse("handover", args=[post.pk])).content.decode()
    assert "Mme X, CCAS" in page


def test_a_former_holder_loses_access_after_90_days(client, paris_and_93):
    _scheme, post, holder = paris_and_93["93"]
    Tenure.objects.filter(post=post).update(ended_on=date.today() - timedelta(days=91))
    client.force_login(holder)
    assert client.get(reverse("handover", args=[post.pk])).status_code == 404


def test_staff_record_a_departure_then_an_arrival(client, staff, paris_and_93):
    scheme, post, holder = paris_and_93["93"]
    tenure = Tenure.objects.get(post=post)
    client.force_login(staff)
    response = client.post(
        reverse("tenure_departure", args=[tenure.pk]),
        {"ended_on": "2026-06-30", "reason": "left"},
    )
    assert response.status_code == 302
    tenure.refresh_from_db()
    assert tenure.ended_on == date(2026, 6, 30)
    response = client.post(
        reverse("post_arrival", args=[post.pk]),
        {
            "first_name": "Inès",
            "last_name": "Haddad",
            "email": "ines@exemple.fr",
            "started_on": "2026-09-01",
        },
    )
    assert response.status_code == 302
    arrival = Tenure.objects.get(post=post, ended_on__isnull=True)
    assert arrival.person.email == "ines@exemple.fr"
    assert not arrival.person.has_usable_password()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ended_on": "2020-01-01", "reason": "left"}, "précède la date de prise de poste"),
        ({"ended_on": "pas une date", "reason": "left"}, "Saisissez une date valide"),
        ({"ended_on": "2026-01-01", "reason": "inventé"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_departures_are_refused_with_a_message(client, staff, paris_and_93, data, message):
    _scheme, post, _holder = paris_and_93["93"]
    tenure = Tenure.objects.get(post=post)
    client.force_login(staff)
    response = client.post(reverse("tenure_departure", args=[tenure.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    tenure.refresh_from_db()
    assert tenure.ended_on is None


def test_arrival_on_an_ended_scheme_is_refused(client, staff, paris_and_93):
    scheme, post, _holder = paris_and_93["93"]
    Scheme.objects.filter(pk=scheme.pk).update(status=Scheme.Status.ENDED)
    client.force_login(staff)
    response = client.post(
        reverse("post_arrival", args=[post.pk]),
        {"first_name": "A", "last_name": "B", "email": "ab@exemple.fr", "started_on": "2026-09-01"},
    )
    assert response.status_code == 200
    assert "est terminé" in response.content.decode()
    assert not Tenure.objects.filter(person__email="ab@exemple.fr").exists()
    from accounts.models import User

    assert not User.objects.filter(email="ab@exemple.fr").exists()  # nothing half-saved


def test_staff_create_a_scheme_with_bad_input(client, staff):
    client.force_login(staff)
    data = {
        "kind": "CLS",
        "name": "CLS de Bondy",
        "communes": [commune("93010").pk],
        "carrier_name": "Ville de Bondy",
        "carrier_kind": "commune",
        "status": "active",
        "signed_on": "2024-01-01",
        "ends_on": "2023-01-01",
    }
    response = client.post(reverse("scheme_create"), data)
    assert "précède la date de signature" in response.content.decode()
    response = client.post(
        reverse("scheme_create"),
        {**data, "ends_on": "2028-12-31", "communes": [commune("93010").pk, commune("95585").pk]},
    )
    assert "même département" in response.content.decode()
    response = client.post(reverse("scheme_create"), {**data, "communes": ["999999"]})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Scheme.objects.filter(name="CLS de Bondy").exists()
    response = client.post(reverse("scheme_create"), {**data, "ends_on": "2028-12-31"})
    scheme = Scheme.objects.get(name="CLS de Bondy")
    assert response["Location"] == reverse("scheme", args=[scheme.pk])
    assert scheme.department.code == "93"


def test_coordinator_claims_a_post_and_staff_confirm(client, coordinator, staff, paris_and_93):
    scheme, post, holder = paris_and_93["93"]
    Tenure.objects.filter(post=post).update(ended_on=date(2026, 1, 1))
    client.force_login(coordinator)
    client.post(reverse("post_claim", args=[post.pk]), {"started_on": "2026-02-01"})
    response = client.post(reverse("post_claim", args=[post.pk]), {"started_on": "2026-02-01"})
    assert "attend déjà la confirmation" in response.content.decode()
    claim = PostClaim.objects.get()
    assert "En attente" in client.get(reverse("profile")).content.decode()

    client.force_login(staff)
    client.post(reverse("claim_review", args=[claim.pk]), {"decision": "accept"})
    claim.refresh_from_db()
    assert claim.status == "accepted"
    assert Tenure.objects.get(post=post, ended_on__isnull=True).person == coordinator
    client.force_login(coordinator)
    assert "Dossier de passation du poste" in client.get(reverse("profile")).content.decode()


def test_coordinator_visibility_choices_are_saved(client, coordinator):
    client.force_login(coordinator)
    profile = coordinator.coordinator_profile
    assert profile.directory_fields == []  # nothing beyond name, schemes and commune by default
    response = client.post(
        reverse("profile"),
        profile_form_data(
            coordinator,
            can_help_with="Diagnostic local de santé",
            directory_fields=["email", "can_help_with"],
        ),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.directory_fields == ["email", "can_help_with"]
    assert profile.shows("email") and not profile.shows("phone")


def test_bad_visibility_choice_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("profile"),
        {
            "user-first_name": "A",
            "user-last_name": "B",
            "profile-directory_fields": ["password"],
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_list_filters(client, staff, paris_and_93):
    client.force_login(staff)
    vacant_scheme = SchemeFactory(name="CLSM de Bondy", kind="CLSM", commune_codes=["93010"])
    PostFactory(schemes=[vacant_scheme])
    due = SchemeFactory(
        name="ASV à renouveler", kind="ASV", ends_on=date.today() + timedelta(days=60)
    )

    def names(**params):
        return sorted(s.name for s in client.get(reverse("schemes"), params).context["page"])

    assert names(kind="CLSM") == ["CLSM de Bondy"]
    assert names(department=commune("75118").department.pk) == ["CLS de Paris 18e"]
    assert names(vacancy="true") == ["CLSM de Bondy"]  # a scheme with no post has no vacancy
    assert names(renewal_due="true") == [due.name]
    assert names(q="bondy") == ["CLSM de Bondy"]
    assert names(q="75118") == ["CLS de Paris 18e"]
    response = client.get(reverse("schemes"), {"kind": "INCONNU"})
    assert response.status_code == 200  # an invalid filter shows the form error, never a 500
    summary = client.get(reverse("schemes")).context["summary"]
    assert {row["code"]: row["total"] for row in summary} == {"75": 1, "93": 3}


def test_visibility_choices_are_honoured_on_the_scheme_page(client, coordinator, paris_and_93):
    scheme, _post, holder = paris_and_93["93"]
    profile = holder.coordinator_profile
    profile.phone = "01 23 45 67 89"
    profile.can_help_with = "Animer un conseil local"
    profile.save()
    client.force_login(coordinator)
    page = client.get(reverse("scheme", args=[scheme.pk])).content.decode()
    assert holder.get_full_name() in page  # name, schemes and commune always show
    assert holder.email not in page and "01 23 45 67 89" not in page
    assert "Animer un conseil local" not in page

    profile.directory_fields = ["email", "can_help_with"]
    profile.save()
    page = client.get(reverse("scheme", args=[scheme.pk])).content.decode()
    assert holder.email in page and "Animer un conseil local" in page
    assert "01 23 45 67 89" not in page


@pytest.mark.parametrize(
    ("phone", "ok"),
    [("01 23 45 67 89", True), ("+33 1 23 45 67 89", True), ("12", False), ("appelez-moi", False)],
)
def test_phone_is_checked(client, coordinator, phone, ok):
    client.force_login(coordinator)
    response = client.post(
        reverse("profile"),
        {"user-first_name": "A", "user-last_name": "B", "profile-phone": phone},
    )
    assert (response.status_code == 302) is ok
    if not ok:
        assert "numéro de téléphone valide" in response.content.decode()


def test_staff_edit_the_lists_coordinators_choose_from(client, staff, coordinator):
    from coordinators.models import Background

    client.force_login(coordinator)
    assert client.get(reverse("manage:lists", args=["parcours"])).status_code == 403
    client.force_login(staff)
    url = reverse("manage:lists", args=["parcours"])
    assert client.get(url).status_code == 200
    assert client.get(reverse("manage:lists", args=["inconnue"])).status_code == 404
    client.post(url, {"name": "Sage-femme"})
    item = Background.objects.get(name="Sage-femme")
    response = client.post(url, {"name": "Sage-femme"})
    assert "existe déjà" in response.content.decode()
    client.post(url, {"pk": item.pk, "name": "Maïeuticien·ne", "action": "rename"})
    item.refresh_from_db()
    assert item.name == "Maïeuticien·ne"
    profile = coordinator.coordinator_profile
    profile.background = item
    profile.save()
    client.post(url, {"pk": item.pk, "action": "delete"})
    profile.refresh_from_db()
    assert profile.background is None


def test_department_filter_offers_only_the_departments_the_list_shows(
    client, dd93, staff, coordinator, paris_and_93
):
    client.force_login(dd93)
    field = client.get(reverse("schemes")).context["filter"].form.fields["department"]
    assert [d.code for d in field.queryset] == ["93"]
    # Another département is not a valid choice for the partner (no silent "0 dispositifs").
    response = client.get(reverse("schemes"), {"department": paris_and_93["75"][0].department.pk})
    assert response.context["filter"].errors
    for user in (staff, coordinator):
        client.force_login(user)
        field = client.get(reverse("schemes")).context["filter"].form.fields["department"]
        assert field.queryset.count() == 8
