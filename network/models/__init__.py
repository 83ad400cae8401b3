"""The peer network's models, one module per part: the directory, tutoring, experience notes,
mutual help and contact."""

from .directory import DirectoryEntry, PeerProfile

__all__ = ["DirectoryEntry", "PeerProfile"]
