from django import forms

from core.widgets import SearchSelect, SearchSelectMultiple

from .models import Commune


def communes():
    """Communes (not Paris's arrondissements), in French alphabetical order ("Écouen" among
    the E)."""
    return Commune.objects.filter(kind=Commune.Kind.COMMUNE).order_by("folded_name", "name")


def commune_label(commune):
    return f"{commune.name} ({commune.code_insee[:2]})"


class CommuneChoiceField(forms.ModelChoiceField):
    """Choose a commune by typing part of its name (accents and case ignored)."""

    widget = SearchSelect

    def __init__(self, **kwargs):
        super().__init__(queryset=communes(), **kwargs)

    def label_from_instance(self, obj):
        return commune_label(obj)


class CommuneMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = SearchSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", communes())
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return commune_label(obj)
