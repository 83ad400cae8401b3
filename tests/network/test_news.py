"""The news board: who reads which post where, who writes, pins, edits and deletes, expiry,
drafts, refused input, Mon espace's selector and the Atom feeds."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.access import access_for
from network.models.news import NewsFeed, NewsPost
from network.selectors.news import news_for_space
from network.services.news import NewsError, news_feed_renew, news_save

from .news_factories import coordinator_in, publish

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def titles(client, url=None, **params):
    response = client.get(url or reverse("news"), params)
    assert response.status_code == 200
    return [post.title for post in response.context["page"]]


def test_a_partner_s_post_reaches_its_departement_and_the_region_s_everyone(client, crpv95, staff):
    publish(crpv95, codes=["95"], title="Appel à projets du Val-d’Oise")
    publish(staff, title="Rencontre régionale")
    julien, awa = coordinator_in("95"), coordinator_in("93")
    client.force_login(julien)
    assert titles(client) == ["Rencontre régionale", "Appel à projets du Val-d’Oise"]
    client.force_login(awa)
    assert titles(client) == ["Rencontre régionale"]
    # Not hidden: she finds it by the département filter, and reads it by its address.
    assert "Appel à projets du Val-d’Oise" in titles(client, department="95")
    assert titles(client, department="region") == ["Rencontre régionale"]


def test_a_coordinator_without_a_post_follows_the_departement_of_their_commune(client, staff):
    from tests.factories import CoordinatorProfileFactory, commune

    publish(staff, codes=["95"], title="Pour le 95")
    person = CoordinatorProfileFactory(commune=commune("95585")).user
    client.force_login(person)
    assert titles(client) == ["Pour le 95"]


def test_a_partner_sees_its_territory_and_the_region(client, dd93, crpv95, staff):
    publish(crpv95, codes=["95"], title="Pour le 95")
    publish(staff, codes=["93"], title="Pour le 93")
    publish(staff, title="Pour la région")
    client.force_login(dd93)
    assert titles(client) == ["Pour la région", "Pour le 93"]
    client.force_login(staff)
    assert len(titles(client)) == 3


def test_a_partner_posts_only_for_its_departements(crpv95):
    with pytest.raises(NewsError, match="Seine-Saint-Denis"):
        publish(crpv95, codes=["93"])
    with pytest.raises(NewsError, match="toute la région"):
        publish(crpv95, codes=[])
    assert not NewsPost.objects.exists()


def test_the_form_refuses_a_departement_outside_the_partner_s_and_saves_nothing(client, crpv95):
    from territories.models import Department

    client.force_login(crpv95)
    org = access_for(crpv95).organisations[0]
    response = client.post(
        reverse("news_create"),
        {
            "title": "Hors territoire",
            "category": "news",
            "organisation": org.pk,
            "departments": [Department.objects.get(code="93").pk],
            "body": "Texte",
            "action": "publish",
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not NewsPost.objects.exists()


def test_only_the_team_pins(client, crpv95, staff):
    partner_post = publish(crpv95, codes=["95"], title="Épinglée ?", pinned=True)
    assert not partner_post.pinned
    publish(staff, title="Plus récente")
    pinned = publish(staff, title="Épinglée par l’équipe", pinned=True)
    publish(staff, title="La plus récente")
    client.force_login(coordinator_in("95"))
    assert titles(client)[0] == pinned.title
    client.force_login(crpv95)
    form = client.get(reverse("news_create")).context["form"]
    assert "pinned" not in form.fields


def test_an_ars_head_office_member_does_not_post(client, ars_hq):
    client.force_login(ars_hq)
    assert client.get(reverse("news_create")).status_code == 403
    assert b"Publier une actualit" not in client.get(reverse("news")).content


@pytest.mark.parametrize(
    "expires_on, error",
    [
        ("2020-01-01", "La date d’expiration est passée"),
        ("2026-13-45", "Saisissez une date valide"),
        ("0001-01-01", "1er janvier 1950"),
        ("9999-12-31", "31 décembre 2099"),
    ],
)
def test_a_bad_expiry_date_is_refused_in_french_and_nothing_is_saved(
    client, staff, expires_on, error
):
    client.force_login(staff)
    response = client.post(
        reverse("news_create"),
        {
            "title": "Avec une date",
            "category": "news",
            "organisation": access_for(staff).publishing_organisations[0].pk,
            "body": "Texte",
            "expires_on": expires_on,
            "action": "publish",
        },
    )
    assert response.status_code == 200
    assert error in response.content.decode(), response.content.decode()[:3000]
    assert not NewsPost.objects.exists()


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"title": ""}, "Ce champ est obligatoire"),
        ({"title": "x" * 201}, "200 caractères"),
        ({"link": "javascript:alert(1)"}, "adresse web complète"),
        ({"body": "", "link": ""}, "Écrivez un texte ou donnez un lien"),
        ({"organisation": "99999999999999"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_refused_in_french(client, staff, fields, error):
    client.force_login(staff)
    data = {
        "title": "Titre",
        "category": "news",
        "organisation": access_for(staff).publishing_organisations[0].pk,
        "body": "Texte",
        "action": "publish",
        **fields,
    }
    response = client.post(reverse("news_create"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not NewsPost.objects.exists()


def test_an_expired_post_leaves_the_board_and_mon_espace_but_stays_readable(client, staff, crpv95):
    post = publish(crpv95, codes=["95"], title="Bientôt expirée", expires_on=timezone.localdate())
    julien = coordinator_in("95")
    assert [p.title for p in news_for_space(access_for(julien))] == ["Bientôt expirée"]
    NewsPost.objects.filter(pk=post.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert news_for_space(access_for(julien)) == []
    client.force_login(julien)
    assert titles(client) == []
    page = client.get(reverse("news_post", args=[post.pk]))
    assert page.status_code == 200 and "Expirée" in page.content.decode()
    # Its organisation and the team find it in the archives; a coordinator has no archives.
    for person in (crpv95, staff):
        client.force_login(person)
        assert titles(client, state="archives") == ["Bientôt expirée"]
    client.force_login(julien)
    assert titles(client, state="archives") == []


def test_an_expiry_date_kept_in_the_past_does_not_block_an_edit(staff):
    post = publish(staff, title="Ancienne")
    NewsPost.objects.filter(pk=post.pk).update(expires_on=datetime.date(2020, 1, 1))
    post.refresh_from_db()
    post.title = "Ancienne, corrigée"
    news_save(post=post, departments=[], access=access_for(staff), publish=True)
    assert NewsPost.objects.get(pk=post.pk).title == "Ancienne, corrigée"


def test_a_draft_is_seen_by_its_organisation_and_the_team_only(client, crpv95, dd93, staff):
    draft = publish(crpv95, codes=["95"], title="En préparation", publish=False)
    url = reverse("news_post", args=[draft.pk])
    for person, status in [(crpv95, 200), (staff, 200), (dd93, 404), (coordinator_in("95"), 404)]:
        client.force_login(person)
        assert client.get(url).status_code == status
    client.force_login(coordinator_in("95"))
    assert titles(client) == []
    client.force_login(crpv95)
    assert titles(client, state="brouillons") == ["En préparation"]


def test_publishing_a_draft_dates_it_and_unpublishing_keeps_the_date(staff):
    draft = publish(staff, title="Brouillon", publish=False)
    assert draft.published_at is None and not draft.is_published
    published = news_save(post=draft, departments=[], access=access_for(staff), publish=True)
    first = published.published_at
    assert first is not None
    again = news_save(post=published, departments=[], access=access_for(staff), publish=True)
    assert again.published_at == first


def test_edit_and_delete_by_the_organisation_or_the_team(client, crpv95, dd93, staff):
    post = publish(crpv95, codes=["95"], title="À modifier")
    edit, delete = reverse("news_edit", args=[post.pk]), reverse("news_delete", args=[post.pk])
    client.force_login(dd93)
    assert client.get(edit).status_code == 403
    assert client.post(delete).status_code == 403
    client.force_login(coordinator_in("95"))
    assert client.get(edit).status_code == 403
    client.force_login(crpv95)
    response = client.post(
        edit,
        {
            "title": "Modifiée",
            "category": "call",
            "organisation": post.organisation_id,
            "departments": [d.pk for d in post.departments.all()],
            "body": "Nouveau texte",
            "action": "publish",
        },
    )
    assert response.status_code == 302
    assert NewsPost.objects.get(pk=post.pk).title == "Modifiée"
    # Deleting asks first.
    client.force_login(staff)
    page = client.get(delete)
    assert page.status_code == 200 and "Supprimer l’actualité" in page.content.decode()
    assert NewsPost.objects.filter(pk=post.pk).exists()
    assert client.post(delete).status_code == 302
    assert not NewsPost.objects.filter(pk=post.pk).exists()


def test_the_body_is_markdown_sanitised(client, staff):
    post = publish(staff, body="**Gras** <script>alert(1)</script>")
    client.force_login(coordinator_in("95"))
    html = client.get(reverse("news_post", args=[post.pk])).content.decode()
    assert "<strong>Gras</strong>" in html
    assert "<script>alert(1)" not in html


# --- Feeds ---------------------------------------------------------------------------------------


def feed(client, token, category=None):
    url = (
        reverse("news_feed_category", args=[token, category])
        if category
        else reverse("news_feed", args=[token])
    )
    client.logout()
    response = client.get(url)
    return response


def test_the_feed_is_valid_atom_in_french_with_escaped_content(client, crpv95, staff):
    publish(
        staff,
        title="Formation « santé mentale » & territoires",
        body="**Inscrivez-vous** <script>alert('x')</script>",
        category=NewsPost.Category.TRAINING,
    )
    publish(crpv95, codes=["95"], title="Pour le 95", category=NewsPost.Category.JOB)
    publish(staff, title="En préparation", publish=False)
    awa = coordinator_in("93")
    token = news_feed_renew(user=awa).token
    response = feed(client, token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # well-formed XML
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text.startswith("Actualités — Réseau des coordinateurs")
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Formation « santé mentale » & territoires"
    ]
    summary = entries[0].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<strong>Inscrivez-vous</strong>" in summary.text
    assert "<script>" not in summary.text
    assert b"<script>" not in response.content and b"<strong>" not in response.content
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http") and "/actualites/" in link
    # A category's feed.
    root = ET.fromstring(feed(client, token, "job").content)
    assert "Offre d’emploi" in root.find(f"{ATOM}title").text
    assert root.findall(f"{ATOM}entry") == []
    julien_token = news_feed_renew(user=coordinator_in("95")).token
    root = ET.fromstring(feed(client, julien_token, "job").content)
    assert [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")] == ["Pour le 95"]


def test_a_renewed_or_unknown_feed_address_is_gone(client, coordinator):
    old = news_feed_renew(user=coordinator).token
    new = news_feed_renew(user=coordinator).token
    assert old != new and NewsFeed.objects.count() == 1
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    assert feed(client, new, "inconnue").status_code == 404
    coordinator.is_active = False
    coordinator.save()
    assert feed(client, new).status_code == 404


def test_mes_flux_creates_then_renews_the_addresses(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("news_feeds"))
    assert "Créer mes adresses" in page.content.decode()
    assert client.post(reverse("news_feeds")).status_code == 302
    token = NewsFeed.objects.get(user=coordinator).token
    page = client.get(reverse("news_feeds")).content.decode()
    assert token in page and "Appel à projets" in page
    client.post(reverse("news_feeds"))
    assert NewsFeed.objects.get(user=coordinator).token != token


def test_mon_espace_s_block_shows_the_latest_posts_that_concern_the_person(staff, crpv95):
    from django.template.loader import render_to_string

    publish(staff, title="Pour toute la région", pinned=True)
    publish(crpv95, codes=["95"], title="Pour le Val-d’Oise")
    publish(staff, codes=["93"], title="Pour la Seine-Saint-Denis")
    for i in range(5):
        publish(staff, title=f"Actualité {i}")
    news = news_for_space(access_for(coordinator_in("95")))
    assert [post.title for post in news][:1] == ["Pour toute la région"]  # pinned first
    assert len(news) == 4 and "Pour la Seine-Saint-Denis" not in [p.title for p in news]
    html = render_to_string("network/news/_space.html", {"news": news})
    assert "Pour toute la région" in html and "!!UNKNOWN" not in html
    assert "Aucune actualité" in render_to_string("network/news/_space.html", {"news": []})
