"""Forms of the peer network, one module per part."""

from .directory import DirectoryFilterForm

__all__ = ["DirectoryFilterForm"]
