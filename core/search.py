"""Searching folded text (the directory, notes, questions, the library): PostgreSQL's full-text
and trigram indexes, or a LIKE on the same folded text elsewhere (SQLite, the demo's database).

A searched model has a folded `document` (all it is found by) and `name` (its title or a
person's name: a word found there counts more), both written by its app's services with
`document_of`; on PostgreSQL `document` carries the two indexes of `_vector()` and `gin_trgm_ops`
(network migrations 0002 and 0006, resources migration 0004 show how).

Both sides are folded by `core.text.fold` (accents, case, punctuation), so "sante mentale"
finds "Santé mentale" and "saint denis" finds "Saint-Denis" on both databases. On PostgreSQL
every word typed must match as the start of a word (full-text prefix, so "plaid" finds
"plaidoyer") or closely enough for a typo ("plaidoier": trigram word similarity, pg_trgm's
`%>>` operator); results are ranked by those two measures, a match on the name first.
Elsewhere the same rules hold, computed in Python: a word starts a word of the text, or is
similar enough to one of its words (pg_trgm's trigram similarity, same threshold), found
among the words of the searched rows (one query: the demo's few hundred rows).
"""

import re

from django.contrib.postgres.lookups import TrigramStrictWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramStrictWordSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When

from core.text import fold

# What a search may hold: longer input is cut (a pasted page searches its first words).
MAX_SEARCH_LENGTH = 200
MAX_WORDS = 8
# Shorter words only match the start of a word: one or two letters are too little for trigrams.
TRIGRAM_MIN_LENGTH = 3

_WORD = re.compile(r"\w+")


def search_words(text):
    """The words of a search, folded: letters and digits only (no operator reaches a query)."""
    return _WORD.findall(fold((text or "")[:MAX_SEARCH_LENGTH]))[:MAX_WORDS]


def document_of(*parts):
    """The folded text an entry is found by."""
    return fold(" ".join(part for part in parts if part))


def _is_postgresql():
    return connection.vendor == "postgresql"


def _vector():
    # Exactly the expression of the full-text indexes (e.g. network migration 0002).
    return SearchVector("document", config="simple")


def _prefix_query(word):
    # `word` holds letters and digits only (`search_words`): safe in a raw tsquery.
    return SearchQuery(f"'{word}':*", config="simple", search_type="raw")


def search_entries(entries, text, *, ties):
    """`entries` (any model with a folded `document` and `name`: directory entries, notes,
    questions, resources) narrowed to those matching every word of `text`, annotated with `rank`
    (higher is better) and ordered by it, then by `ties`. An empty search returns `entries` as
    they are."""
    words = search_words(text)
    if not words:
        return entries
    if _is_postgresql():
        return _search_postgresql(entries, words, ties)
    return _search_folded(entries, words, ties)


def _search_postgresql(entries, words, ties):
    entries = entries.annotate(search_vector=_vector())
    rank = Value(0.0, output_field=FloatField())
    for word in words:
        query = _prefix_query(word)
        match = Q(search_vector=query)
        if len(word) >= TRIGRAM_MIN_LENGTH:
            match |= TrigramStrictWordSimilar(F("document"), Value(word))
            rank = rank + TrigramStrictWordSimilarity(Value(word), "document")
        entries = entries.filter(match)
        rank = rank + SearchRank(F("search_vector"), query)
        rank = rank + _name_bonus(word)
    return entries.annotate(rank=rank).order_by("-rank", *ties)


def _search_folded(entries, words, ties):
    rank = Value(0.0, output_field=FloatField())
    vocabulary = None
    for word in words:
        # At the start of a word, as PostgreSQL's prefix search: "mentale" is not found inside
        # "environnementale".
        match = Q(document__startswith=word) | Q(document__contains=f" {word}")
        if len(word) >= TRIGRAM_MIN_LENGTH:
            if vocabulary is None:
                vocabulary = {
                    w for text in entries.values_list("document", flat=True) for w in text.split()
                }
            for near in similar_words(word, vocabulary):
                match |= Q(document__regex=rf"(^| ){near}( |$)")
        entries = entries.filter(match)
        rank = rank + _name_bonus(word)
    return entries.annotate(rank=rank).order_by("-rank", *ties)


SIMILARITY_THRESHOLD = 0.5  # pg_trgm's strict_word_similarity_threshold


def _trigrams(word):
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similar_words(word, vocabulary):
    """The words of `vocabulary` close enough to `word` for a typo, as pg_trgm measures it."""
    mine = _trigrams(word)
    return sorted(
        other
        for other in vocabulary
        if other != word
        and len(mine & (theirs := _trigrams(other))) / len(mine | theirs) >= SIMILARITY_THRESHOLD
    )


def _name_bonus(word):
    """A word found in the name (a person's, a title) counts more than one found elsewhere."""
    return Case(
        When(name__contains=word, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
    )
