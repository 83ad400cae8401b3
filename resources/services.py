"""Writes on the library."""

from django.db import transaction

from . import hooks
from .models import ResourceRead


@transaction.atomic
def resource_read(*, resource, person) -> ResourceRead:
    """Record that `person` opened the resource's content (the first time counts); the pathway
    steps that propose it are completed by learning (`hooks.resource_read`)."""
    read, _ = ResourceRead.objects.get_or_create(resource=resource, person=person)
    hooks.resource_read.send(resource=resource, person=person)
    return read
