"""What the library adds to the floors below it (see `core.hooks`): an event's materials, and
the link of the outbox for e-mails about a resource (requests for the Boussole)."""

from django.urls import reverse

from agenda import hooks as agenda_hooks
from core.hooks import Fact
from notifications.registry import TOPICS, Topic

from .selectors import library as selectors

TOPICS.register("resource", Topic("Ressource", url=lambda pk: reverse("resource", args=[pk])))


@agenda_hooks.event_materials.connect
def event_materials(*, event, access):
    """The replay, slides and documents of `event` that `access` may read, with their page."""
    return [
        Fact(resource.get_kind_display(), resource.title, reverse("resource", args=[resource.pk]))
        for resource in selectors.materials_for(event, access)
    ]
