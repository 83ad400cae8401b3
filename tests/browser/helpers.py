"""What the browser tests do on forms, as a person would."""

import re

from playwright.sync_api import expect


def field(scope, label):
    """A form field by its label, which crispy ends with an asterisk when the field is required."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def search_and_choose(scope, label, typed, option):
    """A searchable select (core.widgets.SearchSelect): type part of the name, pick the option."""
    name = re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")
    box = scope.get_by_role("combobox", name=name)
    box.click()
    box.fill(typed)
    choice = scope.get_by_role("listbox", name=name).get_by_role("option", name=option, exact=True)
    expect(choice).to_be_visible()
    choice.click()
    expect(scope.get_by_role("listbox", name=name)).to_be_hidden()  # closed: nothing is covered


def log_out(page):
    """Open the account menu of the header, then "Se déconnecter"."""
    page.get_by_role("button", name=re.compile("mon compte")).click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)
