"""Forms and filters of the library (/ressources/)."""

import django_filters
from django import forms
from django.db.models import Q

from competencies.models import Competency

from .models import Resource


class ResourceFilter(django_filters.FilterSet):
    competency = django_filters.ModelChoiceFilter(
        label="Compétence",
        queryset=Competency.objects.filter(is_active=True),
        method="filter_competency",
        empty_label="Toutes",
    )
    kind = django_filters.ChoiceFilter(
        label="Type", choices=Resource.Kind.choices, empty_label="Tous"
    )

    class Meta:
        model = Resource
        fields = ["competency", "kind"]

    def filter_competency(self, queryset, name, value):
        links = Resource.competencies.through.objects.filter(competency=value)
        return queryset.filter(pk__in=links.values("resource_id"))


class ResourceForm(forms.ModelForm):
    url = forms.URLField(
        label="Lien",
        required=False,
        assume_scheme="https",
        help_text="Adresse du document, de la vidéo ou du module. Vide : la fiche suffit.",
    )
    competencies = forms.ModelMultipleChoiceField(
        label="Compétences",
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Resource
        fields = ["title", "kind", "summary", "url", "competencies", "is_published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Q(is_active=True)
        if self.instance.pk:
            active |= Q(pk__in=self.instance.competencies.values("pk"))
        self.fields["competencies"].queryset = Competency.objects.filter(active)
