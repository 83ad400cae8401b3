from django import forms

from .models import Commune


class CommuneChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        queryset = Commune.objects.filter(kind=Commune.Kind.COMMUNE).order_by("name")
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code_insee[:2]})"
