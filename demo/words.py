"""French words the demo builds names and e-mail addresses with."""

import unicodedata


def fold(text):
    """'Élodie' -> 'elodie', 'Le Gall' -> 'le-gall': for e-mail addresses."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower().replace(" ", "-") if c.isalnum() or c == "-")


def of(name):
    """'de Saint-Denis', "d'Aubervilliers", 'du Blanc-Mesnil', 'des Lilas', "de L'Haÿ-les-Roses"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name.startswith("L'") or name.startswith("La "):
        return "de " + name
    if fold(name[0]) in "aeiouy":
        return "d'" + name
    return "de " + name


def commune_label(code, name):
    """'Saint-Denis', and 'Paris 18e' (or 'Paris 1er') for an arrondissement of Paris."""
    if code.startswith("751"):
        number = int(code[-2:])
        return f"Paris {number}{'er' if number == 1 else 'e'}"
    return name
