"""Vacancies, the domain: who publishes on which post, what is refused (in French, nothing
saved), one open vacancy per post, and how a vacancy closes (an arrival, by hand, its date)."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import access_for
from coordinators import services
from coordinators.models import Scheme, Vacancy
from coordinators.vacancies import (
    VacancyError,
    default_title,
    may_publish_vacancy,
    open_vacancies,
    publish_refusal,
    vacancy_close,
    vacancy_defaults,
    vacancy_update,
)
from tests.factories import (
    CoordinatorProfileFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    commune,
)

from .vacancies_factories import SARCELLES, publish, vacancy_fields, vacant_post

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


# --- Which posts ---------------------------------------------------------------------------------


def test_a_vacant_post_gets_an_open_listed_vacancy(staff):
    post = vacant_post()
    vacancy = publish(post, by=staff)
    assert vacancy.status == Vacancy.Status.OPEN
    assert vacancy.published_by == staff
    assert vacancy.fte == Decimal("0.80")
    assert list(open_vacancies(today())) == [vacancy]


def test_a_filled_post_is_refused_and_nothing_is_saved(staff):
    tenure = TenureFactory(started_on=datetime.date(2020, 1, 1))
    with pytest.raises(VacancyError, match="Ce poste est occupé"):
        publish(tenure.post, by=staff)
    assert not Vacancy.objects.exists()


def test_a_post_whose_holder_announced_their_departure_may_be_published(staff):
    tenure = TenureFactory(
        started_on=datetime.date(2020, 1, 1),
        ended_on=today() + timedelta(days=40),
        end_reason="left",
    )
    assert publish_refusal(tenure.post, today()) is None
    assert publish(tenure.post, by=staff).status == Vacancy.Status.OPEN


def test_a_post_of_unknown_status_or_with_an_arrival_planned_is_refused(staff):
    unknown = vacant_post()
    unknown.status_unknown = True
    unknown.save()
    with pytest.raises(VacancyError, match="statut de ce poste est inconnu"):
        publish(unknown, by=staff)
    planned = vacant_post()
    TenureFactory(post=planned, started_on=today() + timedelta(days=10))
    with pytest.raises(VacancyError, match="Une arrivée est déjà enregistrée"):
        publish(planned, by=staff)
    ended = PostFactory(schemes=[SchemeFactory(status=Scheme.Status.ENDED)])
    with pytest.raises(VacancyError, match="dispositif de ce poste est terminé"):
        publish(ended, by=staff)
    assert not Vacancy.objects.exists()


# --- Bad input -----------------------------------------------------------------------------------

BAD_INPUT = [
    ({"closes_on": "yesterday"}, "La date limite de candidature est passée"),
    ({"closes_on": "in two years"}, "un an au plus"),
    ({"fte": "0"}, "entre 0,1 et 1 ETP"),
    ({"fte": "1.5"}, "entre 0,1 et 1 ETP"),
    ({"fte": "beaucoup"}, "en ETP, entre 0,1 et 1"),
    ({"fte": "NaN"}, "entre 0,1 et 1 ETP"),
    ({"contact_email": "", "contact_url": ""}, "Indiquez comment candidater"),
    ({"contact_email": "pas-une-adresse"}, "adresse e-mail valide"),
    ({"contact_url": "javascript:alert(1)"}, "commence par https://"),
    ({"commune": "Sarcelles"}, "commune du département du poste \\(93\\)"),
    ({"title": "   "}, "Indiquez l’intitulé de l’offre"),
    ({"description": "x" * 10_001}, "au plus 10000 caractères"),
    ({"contact_name": ""}, "Indiquez le nom du contact"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT, ids=[m for _c, m in BAD_INPUT])
def test_bad_input_is_refused_in_french_and_nothing_is_saved(staff, changes, message):
    values = {
        "yesterday": today() - timedelta(days=1),
        "in two years": today() + timedelta(days=730),
        "Sarcelles": commune(SARCELLES),
    }
    changes = {name: values.get(value, value) for name, value in changes.items()}
    with pytest.raises(VacancyError, match=message):
        publish(by=staff, **changes)
    assert not Vacancy.objects.exists()


def test_the_bounds_are_accepted(staff):
    assert publish(by=staff, fte="0.1", closes_on=today()).fte == Decimal("0.10")
    assert publish(by=staff, fte="1", contact_email="", contact_url="https://emploi.example.org")


# --- One open vacancy per post -------------------------------------------------------------------


def test_one_open_vacancy_per_post(staff):
    post = vacant_post()
    first = publish(post, by=staff)
    with pytest.raises(VacancyError, match="Une offre est déjà publiée pour ce poste"):
        publish(post, by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        Vacancy.objects.create(
            post=post, published_at=timezone.now(), **vacancy_fields(fte=Decimal("1"))
        )
    assert list(Vacancy.objects.all()) == [first]


def test_a_vacancy_past_its_closing_date_leaves_the_list_and_is_closed_when_republished(staff):
    post = vacant_post()
    old = publish(post, by=staff)
    Vacancy.objects.filter(pk=old.pk).update(closes_on=today() - timedelta(days=3))
    assert not open_vacancies(today()).exists()
    new = publish(post, by=staff)
    old.refresh_from_db()
    assert old.status == Vacancy.Status.CLOSED
    assert old.close_reason == Vacancy.CloseReason.EXPIRED
    assert old.closed_on == today() - timedelta(days=2)  # the day after its closing date
    assert list(open_vacancies(today())) == [new]


# --- Closing -------------------------------------------------------------------------------------


def test_an_arrival_on_the_post_closes_its_vacancy(staff):
    post = vacant_post()
    vacancy = publish(post, by=staff)
    newcomer = CoordinatorProfileFactory().user
    services.post_arrival(post=post, person=newcomer, started_on=today())
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED
    assert vacancy.close_reason == Vacancy.CloseReason.FILLED
    assert vacancy.closed_on == today()
    assert not open_vacancies(today()).exists()


def test_an_arrival_recorded_ahead_closes_the_vacancy_today(staff):
    post = vacant_post()
    vacancy = publish(post, by=staff)
    later = today() + timedelta(days=20)
    services.post_arrival(post=post, person=CoordinatorProfileFactory().user, started_on=later)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.closed_on) == (Vacancy.Status.CLOSED, today())


def test_a_refused_arrival_leaves_the_vacancy_open(staff):
    post = vacant_post()
    vacancy = publish(post, by=staff)
    with pytest.raises(services.RegisterError):  # before the post opened
        services.post_arrival(
            post=post, person=CoordinatorProfileFactory().user, started_on=datetime.date(2000, 1, 1)
        )
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.OPEN


def test_an_arrival_elsewhere_leaves_the_vacancy_open(staff):
    vacancy = publish(by=staff)
    services.post_arrival(
        post=vacant_post(), person=CoordinatorProfileFactory().user, started_on=today()
    )
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.OPEN


def test_closing_by_hand_once(staff):
    vacancy = vacancy_close(vacancy=publish(by=staff))
    assert (vacancy.status, vacancy.close_reason) == ("closed", Vacancy.CloseReason.BY_HAND)
    with pytest.raises(VacancyError, match="déjà close"):
        vacancy_close(vacancy=vacancy)
    with pytest.raises(VacancyError, match="Cette offre est close"):
        vacancy_update(vacancy=vacancy, **vacancy_fields())


def test_changing_a_vacancy_checks_it_again(staff):
    vacancy = publish(by=staff)
    vacancy_update(vacancy=vacancy, **vacancy_fields(title="Chargé·e de mission santé"))
    vacancy.refresh_from_db()
    assert vacancy.title == "Chargé·e de mission santé"
    with pytest.raises(VacancyError, match="date limite de candidature est passée"):
        vacancy_update(vacancy=vacancy, **vacancy_fields(closes_on=today() - timedelta(days=1)))
    vacancy.refresh_from_db()
    assert vacancy.closes_on >= today()


# --- Who publishes -------------------------------------------------------------------------------


def test_who_may_publish(staff, superuser, dd93, crpv95, ars_hq, pending_coordinator):
    post = vacant_post()
    holder = CoordinatorProfileFactory().user
    left_recently = CoordinatorProfileFactory().user
    left_long_ago = CoordinatorProfileFactory().user
    leaving = CoordinatorProfileFactory().user
    peer = CoordinatorProfileFactory().user
    reason = {"end_reason": "left"}
    TenureFactory(
        post=post,
        person=left_long_ago,
        started_on=datetime.date(2015, 1, 1),
        ended_on=today() - timedelta(days=400),
        **reason,
    )
    TenureFactory(
        post=post,
        person=left_recently,
        started_on=today() - timedelta(days=390),
        ended_on=today() - timedelta(days=90),
        **reason,
    )
    TenureFactory(
        post=post,
        person=leaving,
        started_on=today() - timedelta(days=89),
        ended_on=today() + timedelta(days=30),
        **reason,
    )
    held = TenureFactory(person=holder, started_on=datetime.date(2020, 1, 1)).post

    def may(user, on=post):
        return may_publish_vacancy(access_for(user), on, today())

    assert may(staff) and may(superuser) and may(staff, held)
    assert may(left_recently) and may(leaving)  # within 90 days, or announced
    assert not may(left_long_ago)
    assert not may(holder, held)  # holds it, no departure announced
    assert not may(peer)
    assert not any(may(user) for user in (dd93, crpv95, ars_hq, pending_coordinator))
    assert not may_publish_vacancy(access_for(_anonymous()), post, today())


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# --- What the form starts with -------------------------------------------------------------------


def test_the_title_names_the_post_as_people_know_it():
    clsm = SchemeFactory(kind="CLSM", name="CLSM de Sarcelles")
    asv = SchemeFactory(kind="ASV", name="ASV d’Aubervilliers")
    cls = SchemeFactory(kind="CLS", name="CLS d’Aubervilliers")
    assert default_title([clsm]) == "Coordinateur·rice du CLSM de Sarcelles"
    assert default_title([asv, cls]) == (
        "Coordinateur·rice de l’ASV d’Aubervilliers et du CLS d’Aubervilliers"
    )


def test_the_form_starts_from_the_post_then_from_its_last_vacancy(staff):
    scheme = SchemeFactory(kind="CLSM", name="CLSM de Saint-Denis", carrier_name="CCAS")
    post = PostFactory(schemes=[scheme], fte=Decimal("0.6"))
    initial = vacancy_defaults(post, today())
    assert initial["title"] == "Coordinateur·rice du CLSM de Saint-Denis"
    assert (initial["fte"], initial["employer"]) == (Decimal("0.6"), "CCAS")
    assert initial["commune"].code_insee == "93066"
    assert initial["closes_on"] == today() + timedelta(days=30)
    vacancy_close(vacancy=publish(post, by=staff, contact_name="Mme Martin"))
    assert vacancy_defaults(post, today())["contact_name"] == "Mme Martin"
