"""Reads of the peer network, one module per part."""

from .directory import (
    SENIORITY_BANDS,
    directory_cards,
    directory_entries,
    directory_places,
    with_peer_offers,
)

__all__ = [
    "SENIORITY_BANDS",
    "directory_cards",
    "directory_entries",
    "directory_places",
    "with_peer_offers",
]
