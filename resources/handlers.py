"""What the library adds to the floors below it (see `core.hooks`): an event's materials."""

from django.urls import reverse

from agenda import hooks as agenda_hooks
from core.hooks import Fact

from .selectors import library as selectors


@agenda_hooks.event_materials.connect
def event_materials(*, event, access):
    """The replay, slides and documents of `event` that `access` may read, with their page."""
    return [
        Fact(resource.get_kind_display(), resource.title, reverse("resource", args=[resource.pk]))
        for resource in selectors.materials_for(event, access)
    ]
