"""The navigation bar marks the entry of the current page, and of the pages under it."""

import pytest
from django.urls import reverse

from core.templatetags.navigation import section_of
from tests.helpers import login


@pytest.mark.parametrize(
    ("path", "url", "current"),
    [
        ("/annuaire/", "/annuaire/", "page"),
        ("/annuaire/carte/", "/annuaire/", "true"),
        ("/agenda/", "/annuaire/", ""),
        ("/", "/", "page"),
        ("/annuaire/", "/", ""),  # the home holds only itself
    ],
)
def test_section_of(path, url, current):
    assert section_of(path, url) == current


@pytest.mark.django_db
def test_a_page_under_an_entry_marks_it(client, coordinator):
    login(client, coordinator)

    home = client.get(reverse("home")).content.decode()
    offers = client.get(reverse("offers")).content.decode()

    assert f'href="{reverse("home")}" aria-current="page"' in home
    assert f'href="{reverse("pathways")}" aria-current="true"' in offers
    assert f'href="{reverse("home")}" aria-current' not in offers
