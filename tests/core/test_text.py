"""Folding text as people type and sort it."""

import pytest

from core import text
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


@pytest.mark.parametrize(
    ("name", "with_de", "with_que"),
    [
        ("Julien Moreau", "de Julien Moreau", "que Julien Moreau"),
        ("Elena Arnaud", "d’Elena Arnaud", "qu’Elena Arnaud"),
        ("Inès Denis", "d’Inès Denis", "qu’Inès Denis"),
        ("Équipe PromoSanté", "d’Équipe PromoSanté", "qu’Équipe PromoSanté"),
        ("Hélène", "d’Hélène", "qu’Hélène"),
    ],
)
def test_de_and_que_elide_before_a_vowel(name, with_de, with_que):
    assert text.de(name) == with_de
    assert text.que(name) == with_que


def test_que_before_gives_the_word_alone_for_names_set_apart():
    assert text.que_before("Équipe PromoSanté") == "qu’"
    assert text.que_before("Coordinateur·rice") == "que "
