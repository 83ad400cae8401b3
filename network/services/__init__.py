"""Writes of the peer network, one module per part."""

from .directory import directory_sync, peer_exchanges_set, peer_offers_set

__all__ = ["directory_sync", "peer_exchanges_set", "peer_offers_set"]
