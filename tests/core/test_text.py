"""Folding text as people type and sort it."""

import pytest

from core.text import fold
from territories.forms import communes


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Saint-Denis", "saint denis"),
        ("saint denis", "saint denis"),
        ("SAINT  DENIS", "saint denis"),
        ("Écouen", "ecouen"),
        ("L'Île-Saint-Denis", "l ile saint denis"),
        ("L’Haÿ-les-Roses", "l hay les roses"),
        ("Santé mentale", "sante mentale"),
        ("Œuvre", "oeuvre"),
        ("", ""),
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


@pytest.mark.django_db
def test_communes_come_in_french_alphabetical_order():
    names = [commune.name for commune in communes()]
    assert len(names) > 1200
    assert names.index("Écouen") < names.index("Épinay-sur-Seine") < names.index("Ermont")
    assert names.index("Ermont") < names.index("Fontainebleau")
    assert names == sorted(names, key=lambda name: (fold(name), name))
