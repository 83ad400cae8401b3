"""Form widgets shared by every app."""

from django import forms


class SearchSelect(forms.Select):
    """A select with a search field (static/js/search-select.js, Tom Select): for long lists such
    as the 1,267 communes or the people of the network. Typing "ecouen" finds "Écouen" (accents
    and case ignored); the options keep their order, which the field gives (French alphabetical).
    Without JavaScript it stays a plain select."""

    def __init__(self, attrs=None, placeholder="Tapez pour chercher…", **kwargs):
        super().__init__(
            attrs={"data-search": "", "data-placeholder": placeholder, **(attrs or {})}
        )


class SearchSelectMultiple(forms.SelectMultiple):
    """The same, choosing several (each choice removable with its button)."""

    def __init__(self, attrs=None, placeholder="Tapez pour chercher…", **kwargs):
        super().__init__(
            attrs={"data-search": "multiple", "data-placeholder": placeholder, **(attrs or {})}
        )
