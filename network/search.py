"""The directory's search: the generic machinery (folding, PostgreSQL full-text and trigram,
the fallback elsewhere) is `core.search`'s; the directory adds its tie order (people by name).
Notes and questions pass their own ties."""

from core import search as _search
from core.search import (
    MAX_SEARCH_LENGTH,
    document_of,
    search_words,
    similar_words,
)

DIRECTORY_TIES = ("sort_name", "person_id")


def search_entries(entries, text, *, ties=DIRECTORY_TIES):
    """`core.search.search_entries`, people ordered by name on equal rank by default."""
    return _search.search_entries(entries, text, ties=ties)


__all__ = [
    "DIRECTORY_TIES",
    "MAX_SEARCH_LENGTH",
    "document_of",
    "search_entries",
    "search_words",
    "similar_words",
]
