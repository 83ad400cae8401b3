"""The directory's search and filters: a GET form, so that the URL keeps them."""

from django import forms
from django.urls import reverse

from competencies.models import Competency
from coordinators.models import Background, Scheme, Topic
from territories.forms import CommuneChoiceField

from ..selectors import SENIORITY_BANDS
from .search import FilterForm, search_field


class DirectoryFilterForm(FilterForm):
    q = search_field(
        "Un nom, une commune, une thématique, ce que les personnes proposent ou recherchent.",
    )
    kind = forms.ChoiceField(
        label="Type de dispositif",
        required=False,
        choices=[("", "Tous"), *Scheme.Kind.choices],
    )
    department = forms.ModelChoiceField(
        label="Département", required=False, queryset=None, empty_label="Tous"
    )
    intercommunality = forms.ModelChoiceField(
        label="EPT ou EPCI", required=False, queryset=None, empty_label="Tous"
    )
    commune = CommuneChoiceField(label="Commune", required=False, empty_label="Toutes")
    seniority = forms.ChoiceField(
        label="Ancienneté",
        required=False,
        choices=[("", "Toutes"), *((key, label) for key, label, *_ in SENIORITY_BANDS)],
    )
    background = forms.ModelChoiceField(
        label="Parcours initial",
        required=False,
        queryset=Background.objects.all(),
        empty_label="Tous",
    )
    topic = forms.ModelChoiceField(
        label="Thématique", required=False, queryset=Topic.objects.all(), empty_label="Toutes"
    )
    competency = forms.ModelChoiceField(
        label="Peut aider sur",
        required=False,
        queryset=Competency.objects.filter(is_active=True),
        empty_label="Toutes les compétences",
    )

    def __init__(self, *args, departments, communes, intercommunalities, **kwargs):
        """The choices: the départements the reader may see (a partner's territory, or the
        region), the communes and EPT/EPCI where someone of the directory works."""
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["commune"].queryset = communes
        self.fields["intercommunality"].queryset = intercommunalities
        self.fields["q"].widget.attrs["hx-get"] = reverse("directory")
