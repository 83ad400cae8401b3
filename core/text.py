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


def _elides(word: str) -> bool:
    """French elides "de", "que", "le"… before a vowel sound: a vowel, accented or not, or a
    mute h (taken as mute: "d'Hélène", the common case among first names)."""
    first = fold(word)[:1]
    return first in set("aeiouyh")


def de(name) -> str:
    """ "de Julien", "d'Elena", "d'Inès" (any object: its text)."""
    name = str(name)
    return f"d’{name}" if _elides(name) else f"de {name}"


def que(name) -> str:
    """ "que Julien", "qu'Équipe PromoSanté" (any object: its text)."""
    name = str(name)
    return f"qu’{name}" if _elides(name) else f"que {name}"


def que_before(name) -> str:
    """The word alone, for a name set apart in markup: "que " or "qu’"."""
    return "qu’" if _elides(str(name)) else "que "
