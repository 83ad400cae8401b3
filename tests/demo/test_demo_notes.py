"""The demo's experience notes: about twenty, by varied coordinators, some preparing the demo's
site visits (written by their host), a few drafts, comments; seeding twice changes nothing."""

import pytest
from django.urls import reverse

from accounts.models import User
from agenda.models import Event
from demo.loaders import accounts
from demo.notes import seed_notes
from network.models.notes import ExperienceNote, NoteComment

pytestmark = pytest.mark.django_db


def test_about_twenty_notes_by_varied_coordinators(demo_seeded):
    notes = ExperienceNote.objects.all()
    published = notes.filter(status=ExperienceNote.Status.PUBLISHED)
    assert 18 <= notes.count() <= 24
    assert 2 <= notes.filter(status=ExperienceNote.Status.DRAFT).count() <= 4
    assert published.values("author").distinct().count() >= 10
    assert published.values("department").distinct().count() >= 6
    assert NoteComment.objects.count() >= 4
    assert all(note.published_at for note in published)
    assert demo_seeded["fiches d’expérience publiées"] == published.count()


def test_some_notes_prepare_the_site_visits_and_are_written_by_their_host(demo_seeded):
    linked = ExperienceNote.objects.filter(site_visit__isnull=False).select_related("site_visit")
    assert linked.count() >= 3
    for note in linked:
        assert note.site_visit.kind == Event.Kind.SITE_VISIT
        assert note.author_id == note.site_visit.host_id
        if note.site_visit.starts_at > note.published_at:  # sent before the visit
            assert (note.site_visit.starts_at - note.published_at).days >= 10


def test_the_newcomer_reads_the_network_s_notes_not_others_drafts(demo_seeded, client):
    client.force_login(User.objects.get(email=accounts().account("newcomer").email))
    response = client.get(reverse("notes"))
    titles = [note.title for note in response.context["page"]]
    assert "Mes premiers mois : rencontrer les partenaires" in titles  # her own draft, first
    assert "Le plaidoyer pour un poste de coordination pérenne" not in titles  # his draft
    response = client.get(reverse("notes"), {"q": "cellule concertation"})
    assert response.context["page"].paginator.count >= 2
    note = ExperienceNote.objects.get(title__startswith="Cellule de concertation")
    html = client.get(reverse("note", args=[note.pk])).content.decode()
    assert "Julien Moreau (Sarcelles, 95)" in html
    assert "Merci ! Est-ce que la charte" in html


def test_seeding_again_changes_nothing(demo_seeded):
    before = (ExperienceNote.objects.count(), NoteComment.objects.count())
    figures = seed_notes()
    assert (ExperienceNote.objects.count(), NoteComment.objects.count()) == before
    assert figures["commentaires de fiches"] == before[1]
