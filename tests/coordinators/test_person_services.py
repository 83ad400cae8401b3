"""What people write on the register outside tenures: their profile, a newcomer's arrival with
their account, the handover file (services), and the reads that write nothing (selectors)."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.models import User
from coordinators import selectors, services
from coordinators.models import CoordinatorProfile, HandoverFile, Scheme, Tenure, Topic
from tests.factories import PostFactory, SchemeFactory, TenureFactory, UserFactory, commune

pytestmark = pytest.mark.django_db


# --- A person's profile -------------------------------------------------------------------------


def test_a_coordinator_s_name_details_and_topics_are_saved_together(coordinator):
    profile = coordinator.coordinator_profile
    topic = Topic.objects.create(name="Chronobiologie appliquée")
    coordinator.first_name, coordinator.last_name = " Awa ", "Diallo"
    profile.phone = " 01 23 45 67 89 "
    profile.directory_fields = ["phone", "topics"]
    profile.commune = commune("95585")
    services.profile_update(user=coordinator, profile=profile, topics=[topic])
    coordinator.refresh_from_db()
    profile.refresh_from_db()
    assert (coordinator.first_name, coordinator.last_name) == ("Awa", "Diallo")
    assert (profile.phone, profile.directory_fields) == ("01 23 45 67 89", ["phone", "topics"])
    assert profile.commune.code_insee == "95585"
    assert list(profile.topics.all()) == [topic]


def test_someone_without_a_profile_changes_their_name_only():
    person = UserFactory(first_name="Léa", last_name="Roux")
    person.last_name = "Roux-Martin"
    services.profile_update(user=person)
    person.refresh_from_db()
    assert person.last_name == "Roux-Martin"
    assert not CoordinatorProfile.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"first_name": "  "}, "Indiquez votre prénom et votre nom."),
        ({"last_name": "x" * 151}, "au plus 150 caractères"),
        ({"phone": "12 34"}, "Saisissez un numéro de téléphone valide"),
        ({"phone": "01 23 45 67 89 poste 12"}, "Saisissez un numéro de téléphone valide"),
        ({"directory_fields": ["phone", "salaire"]}, "Information d'annuaire inconnue : salaire."),
    ],
)
def test_refused_profile_input_says_why_and_saves_nothing(coordinator, change, message):
    profile = coordinator.coordinator_profile
    before = (
        list(User.objects.filter(pk=coordinator.pk).values_list("first_name", "last_name")),
        list(CoordinatorProfile.objects.filter(pk=profile.pk).values_list("phone", "job_title")),
    )
    coordinator.first_name = change.get("first_name", coordinator.first_name)
    coordinator.last_name = change.get("last_name", coordinator.last_name)
    profile.job_title = "Nouveau titre"
    profile.phone = change.get("phone", "")
    profile.directory_fields = change.get("directory_fields", [])
    with pytest.raises(services.RegisterError, match=message):
        services.profile_update(user=coordinator, profile=profile, topics=[])
    after = (
        list(User.objects.filter(pk=coordinator.pk).values_list("first_name", "last_name")),
        list(CoordinatorProfile.objects.filter(pk=profile.pk).values_list("phone", "job_title")),
    )
    assert after == before


def test_a_profile_is_only_saved_with_its_own_person(coordinator):
    other = UserFactory()
    with pytest.raises(services.RegisterError, match="celui d'une autre personne"):
        services.profile_update(user=other, profile=coordinator.coordinator_profile)


@pytest.mark.parametrize(
    ("phone", "ok"),
    [("", True), ("01 23 45 67 89", True), ("+33 1.23.45.67.89", True), ("0123", False)],
)
def test_phone_numbers(phone, ok):
    if ok:
        assert services.phone_checked(f" {phone} ") == phone
    else:
        with pytest.raises(services.RegisterError):
            services.phone_checked(phone)


def test_a_self_signed_up_coordinator_waits_for_approval():
    person = UserFactory(first_name="", last_name="")
    profile = services.signup_create_profile(
        user=person,
        first_name="Inès",
        last_name="Benali",
        commune=commune("93066"),
        employer="Ville de Saint-Denis",
        job_title="Coordinatrice ASV",
    )
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Inès", "Benali")
    assert profile.status == CoordinatorProfile.Status.PENDING


# --- A newcomer's arrival -----------------------------------------------------------------------


def test_a_person_new_to_the_platform_arrives_with_their_account():
    post = PostFactory()
    tenure = services.post_arrival_new_person(
        post=post,
        email=" Nina.Petit@Exemple.fr ",
        first_name="Nina",
        last_name="Petit",
        started_on=timezone.localdate(),
    )
    person = tenure.person
    assert person.email == "nina.petit@exemple.fr" and not person.has_usable_password()
    assert tenure.post == post and tenure.ended_on is None
    assert person.coordinator_profile.status == CoordinatorProfile.Status.APPROVED


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "deja@exemple.fr"}, "Cette personne existe déjà"),
        ({"email": "DEJA@exemple.fr"}, "Cette personne existe déjà"),
        ({"email": "pas-une-adresse"}, "n'est pas une adresse e-mail valide"),
        ({"first_name": ""}, "Indiquez le prénom, le nom et l'adresse e-mail"),
    ],
)
def test_a_refused_newcomer_creates_neither_account_nor_tenure(fields, message):
    UserFactory(email="deja@exemple.fr")
    post = PostFactory()
    users, tenures = User.objects.count(), Tenure.objects.count()
    values = {"email": "nouvelle@exemple.fr", "first_name": "Nina", "last_name": "Petit", **fields}
    with pytest.raises(services.RegisterError, match=message):
        services.post_arrival_new_person(post=post, started_on=timezone.localdate(), **values)
    assert (User.objects.count(), Tenure.objects.count()) == (users, tenures)


def test_no_account_is_left_behind_when_the_arrival_is_refused():
    scheme = SchemeFactory(status=Scheme.Status.ENDED, ends_on=date(2022, 12, 31))
    post = PostFactory(schemes=[scheme])
    with pytest.raises(services.RegisterError, match="est terminé"):
        services.post_arrival_new_person(
            post=post,
            email="tardive@exemple.fr",
            first_name="Zoé",
            last_name="Lemaire",
            started_on=date(2023, 3, 1),
        )
    assert not User.objects.filter(email="tardive@exemple.fr").exists()


# --- The handover file --------------------------------------------------------------------------


def test_reading_a_post_without_a_handover_file_writes_nothing():
    post = PostFactory()
    HandoverFile.objects.filter(post=post).delete()
    handover = selectors.handover_file_of(post)
    assert handover.pk is None and handover.post == post and handover.updated_at is None
    assert not HandoverFile.objects.filter(post=post).exists()


def test_the_first_writing_creates_the_file_and_ends_the_request():
    tenure = TenureFactory(started_on=date(2021, 1, 1))
    post = tenure.post
    HandoverFile.objects.filter(post=post).delete()
    handover = services.handover_update(
        handover=selectors.handover_file_of(post),
        author=tenure.person,
        data={"tips": "Voir l'élue.", "partners": "CCAS"},
    )
    assert HandoverFile.objects.get(post=post) == handover
    assert (handover.tips, handover.partners, handover.steering) == ("Voir l'élue.", "CCAS", "")
    assert handover.updated_by_name == tenure.person.get_full_name()

    handover.completion_requested_on = date(2024, 1, 1)
    handover.save()
    services.handover_update(handover=handover, author=tenure.person, data={"steering": "COPIL"})
    handover.refresh_from_db()
    assert (handover.tips, handover.steering) == ("Voir l'élue.", "COPIL")
    assert handover.completion_requested_on is None


def test_an_empty_file_read_before_someone_else_wrote_it_writes_into_theirs():
    post = PostFactory()
    HandoverFile.objects.filter(post=post).delete()
    empty = selectors.handover_file_of(post)
    theirs = services.handover_update(
        handover=selectors.handover_file_of(post), author=UserFactory(), data={"tips": "A"}
    )
    mine = services.handover_update(handover=empty, author=UserFactory(), data={"partners": "B"})
    assert mine.pk == theirs.pk
    assert HandoverFile.objects.filter(post=post).count() == 1
    theirs.refresh_from_db()
    assert (theirs.tips, theirs.partners) == ("A", "B")


def test_a_section_that_is_not_text_is_refused():
    post = PostFactory()
    HandoverFile.objects.filter(post=post).delete()
    with pytest.raises(services.RegisterError, match="« Plan d'action » : un texte est attendu."):
        services.handover_update(
            handover=selectors.handover_file_of(post),
            author=UserFactory(),
            data={"action_plan": None},
        )
    assert not HandoverFile.objects.filter(post=post).exists()


def test_coordinator_profile_of(coordinator):
    assert selectors.coordinator_profile_of(coordinator) == coordinator.coordinator_profile
    assert selectors.coordinator_profile_of(UserFactory()) is None
