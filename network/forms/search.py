"""What the searches of the peer network share (directory, notes, questions): a search box whose
results follow the typing, and a GET form of filters that the URL keeps."""

from django import forms

from ..search import MAX_SEARCH_LENGTH

LIVE = {
    # Results follow the typing (the form's other fields follow their changes).
    "hx-trigger": "input changed delay:300ms, search",
    "hx-include": "closest form",
    "hx-target": "#resultats",
    "hx-swap": "outerHTML",
    "hx-push-url": "true",
}


def search_field(help_text, *, live=True):
    """The search box: at most MAX_SEARCH_LENGTH characters, live (htmx) unless told."""
    attrs = {"type": "search", "autocomplete": "off", "maxlength": MAX_SEARCH_LENGTH}
    return forms.CharField(
        label="Rechercher",
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={**attrs, **(LIVE if live else {})}),
    )


class FilterForm(forms.Form):
    """Filters read from the URL: `q` is cut rather than refused, and `filters()` gives the valid
    ones (an invalid one, an unknown id typed in the URL, is left out and its error shown)."""

    def clean_q(self):
        # A search longer than this is cut, not refused: its first words are searched.
        return self.cleaned_data["q"].strip()[:MAX_SEARCH_LENGTH]

    def filters(self):
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", False) and name not in self.errors
        }
