"""Reads of the peer network: a peer's page and the messages a person sent."""

from django.contrib.auth import get_user_model

from coordinators.models import CoordinatorProfile

from ..models import DirectoryEntry
from ..models.contact import ContactMessage
from .directory import directory_cards, with_peer_offers


def peer_entry(access, pk):
    """The directory entry of person `pk`, as the reader may see it (a partner: in its
    territory), with its cards' relations and what the person offers and looks for (if shown);
    None otherwise."""
    entries = directory_cards(access.scope(DirectoryEntry.objects.all(), "department"))
    entry = entries.filter(pk=pk).first()
    return with_peer_offers([entry])[0] if entry else None


def former_peer(access, pk):
    """A coordinator who is no longer in the directory (left their post, or chose not to appear),
    for a reader who sees the whole region; None otherwise."""
    if not access.is_regional:
        return None
    return (
        get_user_model()
        .objects.filter(pk=pk, coordinator_profile__status=CoordinatorProfile.Status.APPROVED)
        .exclude(directory_entry__isnull=False)
        .first()
    )


def sent_messages(person):
    """What `person` sent to peers, latest first, with their recipients."""
    return ContactMessage.objects.filter(sender=person).select_related("recipient")
