"""How experience notes take part in the floors below (see `core.hooks`): a site visit's page
names the published notes that prepare it; the outbox links a comment's e-mail to its note."""

from django.urls import reverse

from agenda import hooks as agenda_hooks
from core.hooks import Fact
from notifications.registry import TOPICS, Topic

from ..selectors.notes import notes_preparing

TOPICS.register("note", Topic("Fiche d’expérience", url=lambda pk: reverse("note", args=[pk])))


@agenda_hooks.event_facts.connect
def event_facts(*, event):
    return [
        Fact("Fiche d’expérience", note.title, reverse("note", args=[note.pk]))
        for note in notes_preparing(event)
    ]
