"""Experience notes: drafts seen by their author and staff only, publishing, the list's search
and filters, Markdown neutralised, the author's hidden fields never shown, comments that tell
the author, attached files bounded and served to readers only, the site visit a note prepares,
and the directory's search covering published notes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agenda.models import Event
from coordinators.models import Topic
from network.models.notes import ExperienceNote, NoteAttachment, NoteComment
from network.services import directory_sync
from network.services.notes import (
    MAX_ATTACHMENTS,
    NoteError,
    note_attachment_add,
    note_comment,
    note_publish,
    note_save,
)
from notifications.models import Delivery
from tests.factories import CoordinatorProfileFactory, EventFactory, commune
from tests.learning.pathway_factories import CompetencyFactory

from .notes_factories import write_note

pytestmark = pytest.mark.django_db


def page_of(client, note):
    return client.get(reverse("note", args=[note.pk]))


# --- Who sees what --------------------------------------------------------------------------------


def test_a_draft_is_seen_by_its_author_and_staff_only(client, coordinator, staff, dd93):
    draft = write_note(coordinator, publish=False, title="Brouillon secret")
    other = CoordinatorProfileFactory().user
    for person, status in ((coordinator, 200), (staff, 200), (other, 404), (dd93, 404)):
        client.force_login(person)
        assert page_of(client, draft).status_code == status, person
        listed = "Brouillon secret" in client.get(reverse("notes")).content.decode()
        assert listed == (status == 200), person


def test_partners_read_published_notes_but_write_nothing(client, dd93):
    note = write_note(title="Le diagnostic partagé")
    client.force_login(dd93)
    response = page_of(client, note)
    assert response.status_code == 200
    assert "Commenter" not in response.content.decode()
    assert client.get(reverse("note_create")).status_code == 403
    assert (
        client.post(reverse("note_comment", args=[note.pk]), {"text": "Bravo"}).status_code == 403
    )


def test_partners_read_the_notes_of_their_territory_only(client, dd93, crpv95):
    author = CoordinatorProfileFactory(commune=commune("95585")).user  # Sarcelles
    note = write_note(author, title="Le conseil local de Sarcelles")
    client.force_login(dd93)
    assert page_of(client, note).status_code == 404
    assert "Le conseil local de Sarcelles" not in client.get(reverse("notes")).content.decode()
    client.force_login(crpv95)
    assert page_of(client, note).status_code == 200
    assert "Le conseil local de Sarcelles" in client.get(reverse("notes")).content.decode()


def test_a_peer_reads_a_published_note_but_cannot_change_it(client):
    note = write_note()
    client.force_login(CoordinatorProfileFactory().user)
    assert page_of(client, note).status_code == 200
    assert client.get(reverse("note_edit", args=[note.pk])).status_code == 403
    assert client.post(reverse("note_unpublish", args=[note.pk])).status_code == 403
    assert client.get(reverse("note_attachment_add", args=[note.pk])).status_code == 403


# --- Writing and publishing -----------------------------------------------------------------------


def test_a_coordinator_writes_a_draft_then_publishes_it(client, coordinator):
    client.force_login(coordinator)
    topic = Topic.objects.create(name="Nutrition")
    response = client.post(
        reverse("note_create"),
        {
            "title": "  Des ateliers cuisine à Saint-Denis  ",
            "context": "Un quartier prioritaire.",
            "communes": [commune("93066").pk],
            "topics": [topic.pk],
        },
    )
    note = ExperienceNote.objects.get()
    assert response.url == reverse("note", args=[note.pk])
    assert note.title == "Des ateliers cuisine à Saint-Denis"
    assert note.status == ExperienceNote.Status.DRAFT
    assert note.department.code == "93"  # from its one commune
    # Without its action, it is not published (a French message, nothing changes).
    response = client.post(reverse("note_publish", args=[note.pk]), follow=True)
    assert "Décrivez l’action avant de publier" in response.content.decode()
    note.refresh_from_db()
    assert note.status == ExperienceNote.Status.DRAFT
    client.post(
        reverse("note_edit", args=[note.pk]),
        {"title": note.title, "action": "Six ateliers avec une diététicienne."},
    )
    client.post(reverse("note_publish", args=[note.pk]))
    note.refresh_from_db()
    assert note.status == ExperienceNote.Status.PUBLISHED and note.published_at


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": ""}, "Ce champ est obligatoire"),
        ({"title": "x" * 201}, "au plus 200 caractères"),
        ({"title": "Titre", "action": "x" * 20_001}, "au plus 20000 caractères"),
        ({"title": "Titre", "site_visit": "99999999999999"}, "Sélectionnez un choix valide"),
        ({"title": "Titre", "communes": ["abc"]}, "n’est pas une valeur correcte"),
    ],
)
def test_bad_input_is_refused_with_a_french_message(client, coordinator, data, message):
    client.force_login(coordinator)
    response = client.post(reverse("note_create"), data)
    assert response.status_code == 200
    errors = str(response.context["form"].errors).replace("'", "’")
    assert message.replace("'", "’") in errors, errors
    assert not ExperienceNote.objects.exists()


def test_a_note_prepares_a_site_visit_only(coordinator):
    webinar = EventFactory()
    with pytest.raises(NoteError, match="visite de site"):
        write_note(coordinator, site_visit=webinar)
    visit = EventFactory(kind=Event.Kind.SITE_VISIT, title="Visite du CLSM de Sarcelles")
    note = write_note(coordinator, site_visit=visit, title="Préparer la visite")
    assert ExperienceNote.objects.get().site_visit == visit
    assert note.site_visit == visit


def test_the_site_visit_page_names_the_notes_that_prepare_it(client, coordinator):
    visit = EventFactory(kind=Event.Kind.SITE_VISIT, title="Visite du CLSM de Sarcelles")
    note = write_note(coordinator, site_visit=visit, title="La cellule de concertation")
    write_note(coordinator, site_visit=visit, title="Brouillon de visite", publish=False)
    client.force_login(coordinator)
    html = client.get(reverse("event", args=[visit.pk])).content.decode()
    assert "La cellule de concertation" in html
    assert reverse("note", args=[note.pk]) in html
    assert "Brouillon de visite" not in html


def test_a_retired_competency_is_not_added(coordinator):
    retired = CompetencyFactory(is_active=False, name="Ancienne compétence")
    with pytest.raises(NoteError, match="Ancienne compétence"):
        write_note(coordinator, competencies=[retired])
    assert not ExperienceNote.objects.exists()


# --- What a note shows ----------------------------------------------------------------------------

HOSTILE = """Bonjour

<script>alert('x')</script>
<iframe src="https://evil.example.org"></iframe>
<img src="x" onerror="alert(1)">
<a href="#" onclick="alert(2)">clic</a>
[un lien](javascript:alert(3))
<a href="javascript:alert(4)">autre</a>
**gras**
"""


def test_markdown_is_rendered_and_neutralised(client, coordinator):
    note = write_note(coordinator, action=HOSTILE, lessons=HOSTILE)
    client.force_login(CoordinatorProfileFactory().user)
    html = page_of(client, note).content.decode()
    body = html.split("<h1", 1)[1]
    assert "<strong>gras</strong>" in body
    for bad in ("<script>alert", "<iframe", "onerror", "onclick", "javascript:", "<img"):
        assert bad not in body, bad


def test_the_author_s_hidden_fields_never_show(client, coordinator):
    author = CoordinatorProfileFactory(
        user__email="marqueur-courriel@exemple.fr",
        phone="0699887766",
        job_title="MARQUEUR-POSTE",
        employer="MARQUEUR-EMPLOYEUR",
        directory_fields=[],  # hides everything
    ).user
    note = write_note(author, title="Fiche sans fuite")
    note_comment(note=note, author=author, text="Je réponds moi-même.")
    client.force_login(coordinator)
    pages = [page_of(client, note), client.get(reverse("notes"), {"q": "fuite"})]
    for response in pages:
        html = response.content.decode()
        assert author.get_full_name() in html
        assert "Saint-Denis" in html  # the commune: always public in the network
        for marker in ("marqueur-courriel", "0699887766", "MARQUEUR-POSTE", "MARQUEUR-EMPLOYEUR"):
            assert marker not in html, marker
    # Nor does a search on a hidden value find the note.
    found = client.get(reverse("notes"), {"q": "MARQUEUR-POSTE"}).context["page"].paginator
    assert found.count == 0


# --- Comments -------------------------------------------------------------------------------------


def test_a_comment_tells_the_author_by_e_mail(client, coordinator):
    note = write_note(coordinator, title="Le conseil local des aidants")
    peer = CoordinatorProfileFactory(user__first_name="Inès").user
    client.force_login(peer)
    response = client.post(
        reverse("note_comment", args=[note.pk]), {"text": "Comment avez-vous <b>recruté</b> ?"}
    )
    assert response.status_code == 302
    comment = NoteComment.objects.get()
    assert comment.author == peer
    delivery = Delivery.objects.get(recipient=coordinator)
    assert delivery.topic == f"note:{note.pk}"
    assert "Le conseil local des aidants" in delivery.subject
    assert "Comment avez-vous <b>recruté</b> ?" in delivery.text
    assert "&lt;b&gt;recruté&lt;/b&gt;" in delivery.html
    html = page_of(client, note).content.decode()
    assert "&lt;b&gt;recruté&lt;/b&gt;" in html and "<b>recruté</b>" not in html


def test_the_author_commenting_their_note_gets_no_e_mail(coordinator):
    note = write_note(coordinator)
    note_comment(note=note, author=coordinator, text="Précision : c’était en 2024.")
    assert not Delivery.objects.exists()


def test_an_empty_comment_or_one_on_a_draft_is_refused(client, coordinator, staff):
    note = write_note(coordinator)
    client.force_login(CoordinatorProfileFactory().user)
    response = client.post(reverse("note_comment", args=[note.pk]), {"text": "   "})
    assert response.status_code == 200
    assert "Écrivez votre commentaire" in response.content.decode()
    draft = write_note(coordinator, publish=False)
    client.force_login(staff)  # staff see the draft, still cannot comment it
    response = client.post(reverse("note_comment", args=[draft.pk]), {"text": "Bien"}, follow=True)
    assert "On ne commente qu’une fiche publiée" in response.content.decode()
    assert not NoteComment.objects.exists()


# --- Attachments ----------------------------------------------------------------------------------


def test_an_attachment_is_added_then_served_to_readers(client, coordinator, dd93):
    note = write_note(coordinator)
    client.force_login(coordinator)
    upload = SimpleUploadedFile("compte-rendu.txt", "Présents : 12.".encode(), "text/plain")
    response = client.post(reverse("note_attachment_add", args=[note.pk]), {"file": upload})
    assert response.status_code == 302
    attachment = NoteAttachment.objects.get()
    assert (attachment.name, attachment.size) == (
        "compte-rendu.txt",
        len("Présents : 12.".encode()),
    )
    url = reverse("note_attachment", args=[note.pk, attachment.pk])
    client.force_login(dd93)
    response = client.get(url)
    assert b"".join(response.streaming_content).decode() == "Présents : 12."
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    # Back to draft: its files are hidden with it.
    client.force_login(coordinator)
    client.post(reverse("note_unpublish", args=[note.pk]))
    client.force_login(dd93)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("page.html", b"<script>alert(1)</script>", "Ce type de fichier n’est pas accepté"),
        ("image.svg", b"<svg/>", "Ce type de fichier n’est pas accepté"),
        ("vide.pdf", b"", "Ce fichier est vide"),
        ("gros.pdf", b"x" * (10 * 1024 * 1024 + 1), "Ce fichier fait 10,0 Mo : 10 Mo au plus."),
    ],
)
def test_a_bad_file_is_refused_with_a_french_message(client, coordinator, name, content, message):
    note = write_note(coordinator)
    client.force_login(coordinator)
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("note_attachment_add", args=[note.pk]), {"file": upload})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["file"])
    assert not NoteAttachment.objects.exists()


def test_a_note_holds_a_bounded_number_of_attachments(coordinator):
    note = write_note(coordinator)
    for i in range(MAX_ATTACHMENTS):
        note_attachment_add(note=note, name=f"f{i}.txt", content=b"x")
    with pytest.raises(NoteError, match="au plus 10 pièces jointes"):
        note_attachment_add(note=note, name="encore.txt", content=b"x")


def test_removing_an_attachment(client, coordinator):
    note = write_note(coordinator)
    attachment = note_attachment_add(note=note, name="a.txt", content=b"x")
    client.force_login(coordinator)
    url = reverse("note_attachment_remove", args=[note.pk, attachment.pk])
    assert client.post(url).status_code == 302
    assert not NoteAttachment.objects.exists()
    assert client.post(url).status_code == 404


# --- Search and filters ---------------------------------------------------------------------------


def found(client, **params):
    response = client.get(reverse("notes"), params)
    assert response.status_code == 200
    return [note.title for note in response.context["page"]]


def test_the_list_searches_accent_and_case_insensitively(client, coordinator):
    write_note(title="Santé mentale des jeunes à Épinay")
    write_note(title="Nutrition au collège", context="Avec l'infirmière scolaire.")
    write_note(title="Brouillon santé", publish=False)
    client.force_login(coordinator)
    assert found(client, q="sante mentale") == ["Santé mentale des jeunes à Épinay"]
    assert found(client, q="EPINAY") == ["Santé mentale des jeunes à Épinay"]
    assert found(client, q="infirmiere") == ["Nutrition au collège"]
    assert found(client, q="sante") == ["Santé mentale des jeunes à Épinay"]  # no draft
    assert found(client, q="mentale environnementale") == []


@pytest.mark.parametrize(
    "q", ["a", "", " ", "!!!", "x" * 5_000, "🙂 Ωμέγα 漢字", "'; DROP TABLE x; --", "a:* & !b | (c"]
)
def test_odd_searches_behave(client, coordinator, q):
    write_note(title="Santé mentale")
    client.force_login(coordinator)
    response = client.get(reverse("notes"), {"q": q})
    assert response.status_code == 200


def test_filters_by_competency_topic_and_departement(client, coordinator):
    competency = CompetencyFactory(name="Animer un réseau")
    topic = Topic.objects.create(name="Habitat")
    write_note(title="Réseau", competencies=[competency])
    write_note(title="Logement", topics=[topic], communes=[commune("95585")])
    write_note(title="Autre")
    client.force_login(coordinator)
    assert found(client, competency=competency.pk) == ["Réseau"]
    assert found(client, topic=topic.pk) == ["Logement"]
    department = commune("95585").department
    assert found(client, department=department.pk) == ["Logement"]
    assert sorted(found(client, department="999999999999")) == ["Autre", "Logement", "Réseau"]


def test_mine_lists_my_notes_drafts_first(client, coordinator):
    write_note(coordinator, title="Publiée")
    write_note(coordinator, title="Brouillon", publish=False)
    write_note(title="D'un·e autre")
    client.force_login(coordinator)
    assert found(client, mine="on") == ["Brouillon", "Publiée"]


def test_htmx_gets_the_results_alone(client, coordinator):
    write_note(title="Santé mentale")
    client.force_login(coordinator)
    response = client.get(reverse("notes"), {"q": "sante"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<section id="resultats"')
    assert "1 fiche trouvée" in html


def test_the_directory_finds_a_person_by_their_published_notes(client, coordinator):
    author = CoordinatorProfileFactory(user__last_name="Rédactrice", directory_fields=[]).user
    from tests.factories import PostFactory, SchemeFactory, TenureFactory

    TenureFactory(person=author, post=PostFactory(schemes=[SchemeFactory()]))
    note = write_note(author, title="Jardins partagés thérapeutiques", publish=False)
    directory_sync()
    client.force_login(coordinator)
    search = {"q": "jardins therapeutiques"}
    assert client.get(reverse("directory"), search).context["page"].paginator.count == 0
    note_publish(note=note)
    directory_sync()
    people = [e.person for e in client.get(reverse("directory"), search).context["page"]]
    assert people == [author]


def test_a_note_s_document_leaves_out_nothing_written_and_nothing_hidden(coordinator):
    note = note_save(
        note=ExperienceNote(
            author=coordinator,
            title="Titre",
            context="Contexte",
            partners="CPAM",
            action="Action",
            results="Résultat",
            difficulties="Difficulté",
            lessons="Leçon",
            contact="Écrire à la mairie",
            territory="Quartier Franc-Moisin",
        )
    )
    for word in ("cpam", "resultat", "difficulte", "lecon", "mairie", "franc moisin"):
        assert word in note.document, word
    assert coordinator.email.split("@")[0].lower() not in note.document


def test_a_published_note_keeps_its_action(client, coordinator):
    note = write_note(coordinator, title="Publiée")
    client.force_login(coordinator)
    response = client.post(reverse("note_edit", args=[note.pk]), {"title": "Publiée"})
    assert "Une fiche publiée garde son action" in response.content.decode()
    note.refresh_from_db()
    assert note.action


def test_the_outbox_links_a_comment_s_e_mail_to_its_note():
    from notifications.registry import topic_url

    assert topic_url("note:42") == reverse("note", args=[42])


def test_mutual_help_reads_the_latest_notes_and_my_drafts(coordinator, django_assert_num_queries):
    from accounts.access import access_for
    from network.selectors.notes import notes_latest

    for i in range(4):
        write_note(title=f"Publiée {i}")
    write_note(coordinator, title="Mon brouillon", publish=False)
    write_note(title="Brouillon d'un·e autre", publish=False)
    access = access_for(coordinator)
    with django_assert_num_queries(4):  # notes, their topics, their competencies, my drafts
        published, drafts = notes_latest(access)
    assert [n.title for n in published] == ["Publiée 3", "Publiée 2", "Publiée 1"]
    assert [n.title for n in drafts] == ["Mon brouillon"]
    assert published[0].author_place.name == "Saint-Denis"


def test_the_author_line_has_no_stray_space(client, coordinator):
    note = write_note(coordinator)
    client.force_login(coordinator)

    page = page_of(client, note).content.decode()

    assert "(Saint-Denis, 93), publiée le" in page
