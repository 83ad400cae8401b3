"""The peer network's models, one module per part: the directory, tutoring, experience notes,
mutual help and contact. Import a part's models from its module (`network.models.tutoring`)."""

from . import contact, news, notes, questions, tutoring  # noqa: F401 - registers their models
from .directory import DirectoryEntry, PeerProfile

__all__ = ["DirectoryEntry", "PeerProfile"]
