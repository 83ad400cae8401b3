"""Text as people search it: without accents, case or punctuation between words."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’‘`´.,;:/()«»\"]+")


def fold(text: str) -> str:
    """ "Saint-Denis", "saint denis" and "SAINT DENIS" fold alike; "Écouen" → "ecouen".
    Also the French alphabetical key: "Écouen" sorts among the E."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return _SEPARATORS.sub(" ", plain.casefold()).strip()
