"""Packs for elected officials and managers (issue #13, "Packs"): only public resources go in,
a link opens the pack without an account until it is revoked or expires, and the sharer sees
how often it was opened."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from agenda.models import GuestInvitation, Registration
from resources.models import Resource
from resources.models.packs import Pack, PackItem, PackLink
from resources.services import packs as services
from tests.factories import EventFactory, in_days
from tests.learning.pathway_factories import ResourceFactory

from .packs_factories import public_resource, published_pack, share

pytestmark = pytest.mark.django_db


# --- Assembling a pack --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "audience",
    [Resource.Audience.NETWORK, Resource.Audience.COORDINATORS, Resource.Audience.PARTNERS],
)
def test_a_resource_for_the_network_only_cannot_go_in_a_pack(staff, audience):
    pack = published_pack(created_by=staff)
    resource = ResourceFactory(title="Note interne", audience=audience)
    with pytest.raises(services.PackError, match="n’est pas ouverte au public sans compte"):
        services.pack_item_add(pack=pack, resource=resource)
    assert not PackItem.objects.filter(resource=resource).exists()


def test_an_unpublished_public_resource_cannot_go_in_a_pack(staff):
    pack = published_pack(created_by=staff)
    draft = public_resource(is_published=False)
    with pytest.raises(services.PackError, match="Seules les ressources publiées"):
        services.pack_item_add(pack=pack, resource=draft)


def test_the_page_refuses_a_network_resource_in_french_and_stores_nothing(client, staff):
    pack = published_pack(created_by=staff)
    internal = ResourceFactory(title="Note interne")
    client.force_login(staff)
    response = client.post(reverse("pack_item_add", args=[pack.pk]), {"resource": internal.pk})
    assert response.status_code == 200
    assert (
        "seules les ressources publiées « tout public »"
        in (response.context["item_form"].errors["resource"][0])
    )
    assert pack.items.count() == 1
    # The searchable select offers only the public resources not yet in the pack.
    offered = list(response.context["item_form"].fields["resource"].queryset)
    assert internal not in offered and pack.items.get().resource not in offered


def test_staff_assemble_a_pack_add_reorder_and_remove(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("pack_create"),
        {"title": "Le CLSM", "audience_line": "Pour les élu·es.", "introduction": "Le *CLSM*."},
    )
    pack = Pack.objects.get()
    assert response.status_code == 302 and not pack.is_published and pack.created_by == staff
    first, second = public_resource(title="Un"), public_resource(title="Deux")
    for resource in (first, second):
        response = client.post(
            reverse("pack_item_add", args=[pack.pk]),
            {"resource": resource.pk, "note": "Pour commencer."},
        )
        assert response.status_code == 302
    assert [i.resource for i in pack.items.all()] == [first, second]
    item = pack.items.get(resource=second)
    client.post(reverse("pack_item_move", args=[pack.pk, item.pk]), {"direction": "up"})
    assert [i.resource for i in pack.items.all()] == [second, first]
    client.post(reverse("pack_item_move", args=[pack.pk, item.pk]), {"direction": "up"})  # top
    assert [i.resource for i in pack.items.all()] == [second, first]
    client.post(reverse("pack_item_remove", args=[pack.pk, item.pk]))
    assert [i.resource for i in pack.items.all()] == [first]
    page = client.get(reverse("pack", args=[pack.pk])).content.decode()
    assert "Pour commencer." in page and "journée d’accueil" in page


def test_a_pack_without_a_public_resource_is_not_published(staff):
    pack = services.pack_save(pack=Pack(title="Vide", audience_line="Pour qui ?"))
    pack.is_published = True
    with pytest.raises(services.PackError, match="Ajoutez au moins une ressource publique"):
        services.pack_save(pack=pack)
    assert not Pack.objects.get().is_published


def test_the_last_resource_of_a_published_pack_stays(staff):
    pack = published_pack()
    with pytest.raises(services.PackError, match="dernière ressource"):
        services.pack_item_remove(item=pack.items.get())
    assert pack.items.count() == 1


def test_partners_and_visitors_do_not_see_packs(client, dd93, coordinator):
    pack = published_pack()
    client.force_login(dd93)
    assert client.get(reverse("packs")).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("pack_create")).status_code == 403
    draft = services.pack_save(pack=Pack(title="Brouillon", audience_line="Pour qui ?"))
    assert client.get(reverse("pack", args=[draft.pk])).status_code == 404
    titles = [p.title for p in client.get(reverse("packs")).context["page"]]
    assert titles == [pack.title]


# --- Sharing -------------------------------------------------------------------------------------


def test_a_coordinator_shares_a_pack_by_a_secret_link(client, coordinator):
    pack = published_pack()
    client.force_login(coordinator)
    response = client.post(
        reverse("pack_share", args=[pack.pk]),
        {
            "label": "Conseil municipal de Sarcelles",
            "expires_on": timezone.localdate() + timedelta(days=30),
        },
    )
    link = PackLink.objects.get()
    assert response.status_code == 302
    assert link.created_by == coordinator and link.label == "Conseil municipal de Sarcelles"
    assert len(link.token) >= 40
    url = reverse("shared_pack", args=[link.token])
    assert f"/{link.pk}/" not in url and f"/{pack.pk}/" not in url
    page = client.get(reverse("pack_links")).content.decode()
    assert f'value="http://testserver{url}"' in page or url in page
    assert "readonly" in page and "Ouvert 0 fois" in page


def test_links_are_unique_and_last_ninety_days_by_default(coordinator):
    pack = published_pack()
    links = [share(pack, coordinator, label=f"Lien {i}") for i in range(5)]
    assert len({link.token for link in links}) == 5
    days = (timezone.localtime(links[0].expires_at).date() - timezone.localdate()).days
    assert days == services.LINK_DAYS + 1  # valid all of the 90th day


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "Cette date est passée"), (366, "Un lien dure un an au plus")],
    ids=["past", "over-a-year"],
)
def test_a_past_or_too_far_expiry_is_refused_and_nothing_stored(client, coordinator, days, message):
    pack = published_pack()
    client.force_login(coordinator)
    response = client.post(
        reverse("pack_share", args=[pack.pk]),
        {"label": "Mairie", "expires_on": timezone.localdate() + timedelta(days=days)},
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors)
    assert not PackLink.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"label": "", "expires_on": "2027-01-01"},
        {"label": "x" * 201, "expires_on": "2027-01-01"},
        {"label": "Mairie", "expires_on": "9999-12-31"},
        {"label": "Mairie", "expires_on": "pas une date"},
    ],
    ids=["no-label", "long-label", "far-date", "not-a-date"],
)
def test_bad_input_in_the_share_form_is_refused(client, coordinator, data):
    pack = published_pack()
    client.force_login(coordinator)
    response = client.post(reverse("pack_share", args=[pack.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not PackLink.objects.exists()


def test_a_draft_pack_cannot_be_shared(client, coordinator, staff):
    draft = services.pack_save(pack=Pack(title="Brouillon", audience_line="Pour qui ?"))
    with pytest.raises(services.PackError, match="n’est pas publié"):
        share(draft, coordinator)
    client.force_login(staff)
    assert client.get(reverse("pack_share", args=[draft.pk])).status_code == 404


def test_revoking_asks_first_and_only_the_sharer_may(client, coordinator, staff):
    link = share(published_pack(), coordinator)
    client.force_login(staff)
    assert client.post(reverse("pack_link_revoke", args=[link.pk])).status_code == 404
    client.force_login(coordinator)
    response = client.get(reverse("pack_link_revoke", args=[link.pk]))
    assert "Révoquer le lien pour « Conseil municipal de Sarcelles » ?" in response.content.decode()
    link.refresh_from_db()
    assert link.revoked_at is None  # asking is not revoking
    client.post(reverse("pack_link_revoke", args=[link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None
    with pytest.raises(services.PackError, match="déjà révoqué"):
        services.pack_link_revoke(link=link, person=coordinator)


def test_the_share_page_offers_to_share_after_the_welcome_day(client, coordinator):
    pack = published_pack()
    welcome = EventFactory(
        title="Journée d’accueil des nouveaux",
        is_welcome_day=True,
        starts_at=in_days(-5),
        ends_at=in_days(-5, hour=17),
    )
    Registration.objects.create(
        event=welcome, person=coordinator, status=Registration.Status.CONFIRMED
    )
    GuestInvitation.objects.create(
        event=welcome,
        email="elu@ville.example.org",
        first_name="Karim",
        last_name="Benali",
        function="Adjoint au maire",
        invited_by=coordinator,
        expires_at=welcome.starts_at,
    )
    client.force_login(coordinator)
    html = client.get(reverse("pack_share", args=[pack.pk])).content.decode()
    assert "Partager après la journée d’accueil" in html
    assert "Préparer un lien pour Karim Benali" in html
    prefilled = client.get(
        reverse("pack_share", args=[pack.pk]), {"pour": "Karim Benali, Adjoint au maire"}
    )
    assert prefilled.context["form"]["label"].value() == "Karim Benali, Adjoint au maire"


# --- The shared page -----------------------------------------------------------------------------


def test_a_visitor_without_account_reads_the_pack_and_opens_its_documents(client, coordinator):
    coordinator.first_name, coordinator.last_name = "Julien", "Moreau"
    coordinator.save()
    guide = public_resource(title="Le CLS en bref", url="")
    guide.file.save("cls.pdf", ContentFile(b"%PDF-1.4 le CLS"), save=True)
    pack = published_pack(
        resources=[guide], introduction="Le **CLS**.\n\n<script>alert(1)</script>"
    )
    link = share(pack, coordinator)
    response = client.get(reverse("shared_pack", args=[link.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>CLS</strong>" in html and "<script>alert" not in html
    assert "Partagé par <strong>Julien Moreau</strong>" in html
    assert coordinator.email not in html
    assert "Navigation principale" not in html and "Se connecter" not in html
    assert '<meta name="robots" content="noindex' in html
    assert response["X-Robots-Tag"].startswith("noindex")
    document = client.get(reverse("shared_resource", args=[link.token, guide.pk]))
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == b"%PDF-1.4 le CLS"


def test_the_page_counts_its_views_not_the_documents_nor_the_sharer(client, coordinator):
    pack = published_pack()
    link = share(pack, coordinator)
    resource = pack.items.get().resource
    client.get(reverse("shared_pack", args=[link.token]))
    client.get(reverse("shared_pack", args=[link.token]))
    client.get(reverse("shared_resource", args=[link.token, resource.pk]))
    client.head(reverse("shared_pack", args=[link.token]))  # a link checker
    client.force_login(coordinator)
    client.get(reverse("shared_pack", args=[link.token]))  # the sharer checks it
    link.refresh_from_db()
    assert link.open_count == 2 and link.last_opened_at is not None
    assert "Ouvert 2 fois" in client.get(reverse("pack_links")).content.decode()


def test_counting_adds_in_the_database_so_no_view_is_lost(coordinator):
    """Two visitors at once hold the same row: each adds one (an F() update, no read first)."""
    link = share(published_pack(), coordinator)
    stale = PackLink.objects.get(pk=link.pk)
    services.pack_link_opened(link=link)
    services.pack_link_opened(link=stale)
    link.refresh_from_db()
    assert link.open_count == 2


@pytest.mark.parametrize(
    "change",
    [{"audience": Resource.Audience.NETWORK}, {"is_published": False}],
    ids=["no-longer-public", "unpublished"],
)
def test_a_resource_no_longer_public_leaves_the_shared_page(client, coordinator, change):
    kept, changed = (
        public_resource(title="Reste publique"),
        public_resource(title="Devenue interne"),
    )
    pack = published_pack(resources=[kept, changed])
    link = share(pack, coordinator)
    Resource.objects.filter(pk=changed.pk).update(**change)
    html = client.get(reverse("shared_pack", args=[link.token])).content.decode()
    assert "Reste publique" in html and "Devenue interne" not in html
    opened = client.get(reverse("shared_resource", args=[link.token, changed.pk]))
    assert opened.status_code == 404


def test_only_the_pack_s_resources_open_through_its_link(client, coordinator):
    link = share(published_pack(), coordinator)
    elsewhere = public_resource(title="Dans un autre pack")
    published_pack(resources=[elsewhere], title="Autre")
    assert (
        client.get(reverse("shared_resource", args=[link.token, elsewhere.pk])).status_code == 404
    )
    assert client.get(reverse("shared_resource", args=[link.token, 2**40])).status_code == 404
    assert client.get(reverse("shared_pack", args=["inconnu"])).status_code == 404


@pytest.mark.parametrize("why", ["revoked", "expired"])
def test_a_revoked_or_expired_link_says_so_and_whom_to_ask(client, coordinator, why):
    coordinator.first_name, coordinator.last_name = "Julien", "Moreau"
    coordinator.save()
    pack = published_pack(title="Comprendre le CLSM")
    link = share(pack, coordinator)
    resource = pack.items.get().resource
    if why == "revoked":
        services.pack_link_revoke(link=link, person=coordinator)
    else:
        PackLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("shared_pack", args=[link.token]))
    html = response.content.decode()
    assert response.status_code == 410
    assert "Ce lien ne fonctionne plus" in html
    assert "demandez un nouveau lien à <strong>Julien Moreau</strong>" in html
    assert coordinator.email not in html
    assert "Comprendre le CLSM" not in html and resource.title not in html
    assert client.get(reverse("shared_resource", args=[link.token, resource.pk])).status_code == 410
    link.refresh_from_db()
    assert link.open_count == 0


def test_a_pack_back_in_draft_shows_nothing_through_its_links(client, coordinator):
    pack = published_pack()
    link = share(pack, coordinator)
    Pack.objects.filter(pk=pack.pk).update(is_published=False)
    html = client.get(reverse("shared_pack", args=[link.token])).content.decode()
    assert pack.items.get().resource.title not in html
    resource = pack.items.get().resource
    assert client.get(reverse("shared_resource", args=[link.token, resource.pk])).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "audience_line": "Pour les élu·es."},
        {"title": "x" * 201, "audience_line": "Pour les élu·es."},
        {"title": "Le CLS", "audience_line": "   "},
        {"title": "Le CLS", "audience_line": "Pour.", "introduction": "x" * 10_001},
        {"title": "Le CLS", "audience_line": "Pour.", "is_published": "on"},  # empty
    ],
    ids=["no-title", "long-title", "blank-audience", "long-introduction", "published-empty"],
)
def test_bad_input_in_the_pack_form_is_refused_and_nothing_stored(client, staff, data):
    client.force_login(staff)
    response = client.post(reverse("pack_create"), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Pack.objects.exists()


def test_bad_input_when_adding_or_moving_a_resource(client, staff):
    pack = published_pack()
    client.force_login(staff)
    resource = public_resource()
    response = client.post(
        reverse("pack_item_add", args=[pack.pk]), {"resource": resource.pk, "note": "x" * 301}
    )
    assert response.status_code == 200 and "note" in response.context["item_form"].errors
    for bad in ("abc", "99999999999999999999", ""):
        response = client.post(reverse("pack_item_add", args=[pack.pk]), {"resource": bad})
        assert response.status_code == 200 and response.context["item_form"].errors
    assert pack.items.count() == 1
    item = pack.items.get()
    response = client.post(
        reverse("pack_item_move", args=[pack.pk, item.pk]), {"direction": "sideways"}, follow=True
    )
    assert "Choisissez de monter ou de descendre" in response.content.decode()
    other = published_pack(title="Autre")
    url = reverse("pack_item_remove", args=[other.pk, item.pk])  # an item of another pack
    assert client.post(url).status_code == 404


def test_the_team_sees_why_a_resource_is_no_longer_shared(client, staff, coordinator):
    kept, changed = (
        public_resource(title="Reste publique"),
        public_resource(title="Devenue interne"),
    )
    pack = published_pack(resources=[kept, changed])
    Resource.objects.filter(pk=changed.pk).update(audience=Resource.Audience.COORDINATORS)
    client.force_login(staff)
    html = client.get(reverse("pack", args=[pack.pk])).content.decode()
    assert "Devenue interne" in html and "la page partagée ne la montre plus" in html
    client.force_login(coordinator)
    html = client.get(reverse("pack", args=[pack.pk])).content.decode()
    assert "Reste publique" in html and "Devenue interne" not in html


def test_a_link_works_all_of_its_last_day_and_says_so(client, coordinator):
    last_day = timezone.localdate() + timedelta(days=10)
    link = share(published_pack(), coordinator, expires_on=last_day)
    assert link.last_day == last_day
    client.force_login(coordinator)
    html = client.get(reverse("pack_links")).content.decode()
    assert f"fonctionne jusqu’au {last_day.day}" in html and "inclus" in html
