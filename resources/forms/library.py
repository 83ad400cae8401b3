"""Forms and filters of the library (/ressources/)."""

import django_filters
from django import forms
from django.core.validators import FileExtensionValidator
from django.db.models import Q

from competencies.models import Competency

from ..models.library import Resource
from ..services.library import NO_CONTENT


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


MAX_FILE_SIZE = 20 * 1024 * 1024
# Documents only: nothing a browser would run (HTML, SVG) is served from the platform's address.
FILE_EXTENSIONS = ["pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "txt", "csv", "png", "jpg"]


def _file_size(file):
    if file.size > MAX_FILE_SIZE:
        raise forms.ValidationError(
            f"Ce fichier fait {file.size / 1024 / 1024:.1f} Mo : 20 Mo au plus."
        )


class ResourceForm(forms.ModelForm):
    file = forms.FileField(
        label="Fichier",
        required=False,
        validators=[
            FileExtensionValidator(
                FILE_EXTENSIONS,
                message="Ce type de fichier n'est pas accepté : "
                + ", ".join(FILE_EXTENSIONS)
                + ".",
            ),
            _file_size,
        ],
        help_text="PDF, document bureautique, image ou texte, 20 Mo au plus.",
    )
    url = forms.URLField(
        label="Lien",
        required=False,
        assume_scheme="https",
        help_text="Adresse du document, de la vidéo ou du module. Un fichier ou un lien : il en "
        "faut un pour publier la ressource.",
    )
    competencies = forms.ModelMultipleChoiceField(
        label="Compétences",
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Resource
        fields = ["title", "kind", "summary", "file", "url", "competencies", "is_published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Q(is_active=True)
        if self.instance.pk:
            active |= Q(pk__in=self.instance.competencies.values("pk"))
        self.fields["competencies"].queryset = Competency.objects.filter(active)

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))  # a new file, or the one kept (False: cleared)
        content_refused = "file" in self.errors or "url" in self.errors
        if cleaned.get("is_published") and not (has_file or cleaned.get("url") or content_refused):
            self.add_error("is_published", NO_CONTENT)
        return cleaned
