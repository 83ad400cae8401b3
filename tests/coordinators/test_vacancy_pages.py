"""Vacancies, the pages: the public list and a vacancy's page (no account, no personal data
beyond the contact), publishing from a post's page, changing and closing."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinators import services
from coordinators.models import Scheme, Tenure, Vacancy
from coordinators.vacancies import vacancy_close
from tests.factories import CoordinatorProfileFactory, TenureFactory, commune

from .vacancies_factories import SARCELLES, publish, vacancy_fields, vacant_post

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def form_data(**changes):
    data = vacancy_fields(**changes)
    data["commune"] = data["commune"].pk
    data["closes_on"] = data["closes_on"].isoformat()
    return data


# --- The public list and page --------------------------------------------------------------------


def test_a_visitor_reads_the_open_vacancies_only(client, staff):
    listed = publish(by=staff, title="Coordinatrice du CLS de Saint-Denis")
    closed = vacancy_close(vacancy=publish(by=staff, title="Offre close"))
    expired = publish(by=staff, title="Offre passée")
    Vacancy.objects.filter(pk=expired.pk).update(closes_on=today() - timedelta(days=1))
    response = client.get(reverse("vacancies"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [listed]
    html = response.content.decode()
    assert "Coordinatrice du CLS de Saint-Denis" in html
    assert closed.title not in html and expired.title not in html
    assert "1 offre ouverte" in html


def test_the_list_filters_by_departement_and_scheme_type(client, staff):
    cls93 = publish(by=staff, title="CLS 93")
    clsm95 = publish(
        vacant_post(
            kind="CLSM", department=commune(SARCELLES).department, commune_codes=[SARCELLES]
        ),
        by=staff,
        title="CLSM 95",
        commune=commune(SARCELLES),
    )

    def found(**params):
        return list(client.get(reverse("vacancies"), params).context["page"])

    assert found() == [clsm95, cls93]
    assert found(department="95") == [clsm95]
    assert found(kind=Scheme.Kind.CLS) == [cls93]
    assert found(department="93", kind=Scheme.Kind.CLSM) == []
    # Unknown values filter nothing, and never fail.
    assert found(department="999", kind="<script>", page="abc") == [clsm95, cls93]


def test_a_vacancy_s_page_shows_the_contact_and_nothing_of_people(client, staff):
    leaver = CoordinatorProfileFactory(user__first_name="Léonie", user__last_name="Vasseur").user
    post = vacant_post()
    TenureFactory(
        post=post,
        person=leaver,
        started_on=datetime.date(2019, 1, 1),
        ended_on=today() - timedelta(days=5),
        end_reason="left",
    )
    vacancy = publish(
        post,
        by=leaver,
        description="Animer le **CLS**.\n\n<script>alert(1)</script>",
        contact_url="https://emploi.example.org/offre-12",
    )
    html = client.get(reverse("vacancy", args=[vacancy.pk])).content.decode()
    assert "<strong>CLS</strong>" in html
    assert "<script>alert(1)" not in html  # sanitised Markdown
    assert "mailto:recrutement@ville-saint-denis.example.org" in html
    assert 'href="https://emploi.example.org/offre-12"' in html
    assert "Direction de la santé" in html
    assert "Vasseur" not in html and leaver.email not in html  # who held it, who published
    assert "0,8 ETP" in html
    assert "css/print.css" in html and "data-print" in html  # printable
    assert "Modifier l’offre" not in html


def test_a_closed_vacancy_says_so_and_leads_to_the_list(client, staff):
    vacancy = publish(by=staff)
    vacancy_close(vacancy=vacancy)
    html = client.get(reverse("vacancy", args=[vacancy.pk])).content.decode()
    assert f"Cette offre est close depuis le {today():%-d}" in html
    assert "retirée par la personne qui l’a publiée" in html
    assert f'href="{reverse("vacancies")}"' in html
    assert "recrutement@ville-saint-denis.example.org" not in html  # nobody applies any more
    assert client.get(reverse("vacancy", args=[vacancy.pk + 1000])).status_code == 404


def test_a_vacancy_left_past_its_date_says_it_is_closed(client, staff):
    vacancy = publish(by=staff)
    Vacancy.objects.filter(pk=vacancy.pk).update(closes_on=today() - timedelta(days=2))
    html = client.get(reverse("vacancy", args=[vacancy.pk])).content.decode()
    assert "Cette offre est close depuis le" in html
    assert "date limite de candidature passée" in html


# --- Publishing from the post's page -------------------------------------------------------------


def test_staff_publish_from_a_vacant_post_s_page(client, staff):
    post = vacant_post()
    scheme = post.schemes.get()
    client.force_login(staff)
    page = client.get(reverse("scheme", args=[scheme.pk])).content.decode()
    assert reverse("vacancy_publish", args=[post.pk]) in page
    assert "Publier l’offre" in page
    form = client.get(reverse("vacancy_publish", args=[post.pk]))
    assert form.context["form"].initial["title"] == f"Coordinateur·rice du {scheme.name}"
    response = client.post(reverse("vacancy_publish", args=[post.pk]), form_data())
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "vacancy", args=[vacancy.pk]
    )
    page = client.get(reverse("scheme", args=[scheme.pk])).content.decode()
    assert "Offre publiée" in page and reverse("vacancy", args=[vacancy.pk]) in page
    assert reverse("vacancy_publish", args=[post.pk]) not in page
    # Publishing again leads to the open vacancy.
    again = client.get(reverse("vacancy_publish", args=[post.pk]))
    assert again["Location"] == reverse("vacancy_edit", args=[vacancy.pk])


def test_a_closing_date_in_the_past_is_refused_on_the_form(client, staff):
    post = vacant_post()
    client.force_login(staff)
    yesterday = today() - timedelta(days=1)
    response = client.post(
        reverse("vacancy_publish", args=[post.pk]), form_data(closes_on=yesterday)
    )
    assert response.status_code == 200
    assert "La date limite de candidature est passée" in response.content.decode()
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fte": "0"}, "au moins 0,1 ETP"),
        ({"fte": "3"}, "au plus 1 ETP"),
        ({"contact_email": "", "contact_url": ""}, "Indiquez comment candidater"),
        ({"contact_url": "ftp://exemple.org/offre"}, "Saisissez une URL valide"),
        ({"closes_on": "9999-12-31"}, "2099"),
        ({"commune": "Sarcelles"}, "commune du département du poste"),
        ({"contact_url": "https://exemple.org/" + "a" * 500}, "au plus 500 caractères"),
        ({"contact_email": "a" * 250 + "@exemple.org"}, "au plus 200 caractères"),
    ],
)
def test_bad_input_on_the_form_is_refused_with_a_french_message(client, staff, changes, message):
    client.force_login(staff)
    data = form_data()
    data.update({k: commune(SARCELLES).pk if v == "Sarcelles" else v for k, v in changes.items()})
    response = client.post(reverse("vacancy_publish", args=[vacant_post().pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Vacancy.objects.exists()


def test_a_filled_post_is_refused_on_its_publishing_page(client, staff):
    post = TenureFactory(started_on=datetime.date(2020, 1, 1)).post
    client.force_login(staff)
    response = client.get(reverse("vacancy_publish", args=[post.pk]), follow=True)
    assert "Ce poste est occupé" in response.content.decode()
    response = client.post(reverse("vacancy_publish", args=[post.pk]), form_data())
    assert response.status_code == 200 and "Ce poste est occupé" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_the_leaving_holder_publishes_for_their_employer_a_peer_cannot(client):
    post = vacant_post()
    leaving = CoordinatorProfileFactory().user
    TenureFactory(
        post=post,
        person=leaving,
        started_on=datetime.date(2019, 1, 1),
        ended_on=today() + timedelta(days=30),
        end_reason="left",
    )
    peer = CoordinatorProfileFactory().user
    client.force_login(peer)
    page = client.get(reverse("scheme", args=[post.schemes.get().pk])).content.decode()
    assert "Publier l’offre" not in page
    assert client.post(reverse("vacancy_publish", args=[post.pk]), form_data()).status_code == 403
    client.force_login(leaving)
    page = client.get(reverse("scheme", args=[post.schemes.get().pk])).content.decode()
    assert "Publier l’offre" in page
    response = client.post(reverse("vacancy_publish", args=[post.pk]), form_data())
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302 and vacancy.published_by == leaving
    # The publisher changes and closes it; the peer may not.
    client.force_login(peer)
    assert client.get(reverse("vacancy_edit", args=[vacancy.pk])).status_code == 403
    assert client.post(reverse("vacancy_close", args=[vacancy.pk])).status_code == 403
    client.force_login(leaving)
    response = client.post(
        reverse("vacancy_edit", args=[vacancy.pk]), form_data(title="Coordinateur·rice CLS")
    )
    assert response.status_code == 302
    assert client.post(reverse("vacancy_close", args=[vacancy.pk])).status_code == 302
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.status) == ("Coordinateur·rice CLS", "closed")


def test_a_closed_vacancy_is_not_changed(client, staff):
    vacancy = vacancy_close(vacancy=publish(by=staff))
    client.force_login(staff)
    response = client.post(reverse("vacancy_edit", args=[vacancy.pk]), form_data(), follow=True)
    assert "Cette offre est close" in response.content.decode()
    response = client.post(reverse("vacancy_close", args=[vacancy.pk]), follow=True)
    assert "déjà close" in response.content.decode()


def test_the_schemes_page_links_to_the_vacancies(client, coordinator):
    client.force_login(coordinator)
    assert reverse("vacancies") in client.get(reverse("schemes")).content.decode()


def test_an_ended_scheme_s_post_is_refused_with_a_message(client, staff):
    post = vacant_post(status=Scheme.Status.ENDED)
    client.force_login(staff)
    response = client.get(reverse("vacancy_publish", args=[post.pk]), follow=True)
    assert "Le dispositif de ce poste est terminé" in response.content.decode()


def test_a_holder_recorded_by_the_register_s_import_takes_the_vacancy_off_the_list(client, staff):
    vacancy = publish(by=staff)
    # The import writes tenures itself, without post_arrival.
    Tenure.objects.create(
        post=vacancy.post, person=CoordinatorProfileFactory().user, started_on=today()
    )
    assert list(client.get(reverse("vacancies")).context["page"]) == []
    html = client.get(reverse("vacancy", args=[vacancy.pk])).content.decode()
    assert "Cette offre est close depuis le" in html and "poste pourvu" in html
    assert "recrutement@ville-saint-denis.example.org" not in html


def test_a_departure_cancelled_after_publishing_takes_the_vacancy_off_the_list(client, staff):
    tenure = TenureFactory(
        started_on=datetime.date(2019, 1, 1),
        ended_on=today() + timedelta(days=30),
        end_reason="left",
    )
    vacancy = publish(tenure.post, by=staff)
    assert list(client.get(reverse("vacancies")).context["page"]) == [vacancy]  # still listed
    services.tenure_update(
        tenure=tenure, started_on=tenure.started_on, ended_on=None, end_reason=""
    )
    assert list(client.get(reverse("vacancies")).context["page"]) == []
    html = client.get(reverse("vacancy", args=[vacancy.pk])).content.decode()
    assert f"close depuis le {today():%-d}" in html and "poste pourvu" in html
