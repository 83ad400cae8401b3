"""Forms and filters of the library (/ressources/)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q

from accounts.models import Organisation
from agenda.models import Event
from agenda.services import PRIVATE_KINDS
from competencies.models import Competency
from coordinators.models import CoordinatorProfile, Scheme, Topic
from core.forms import DateField, PersonChoiceField, limit_lengths
from core.search import MAX_SEARCH_LENGTH
from core.widgets import SearchSelect

from .. import files
from ..models.library import Resource
from ..services.library import NO_CONTENT, NOTE_MAX_LENGTH

# Documents only: nothing a browser would run (HTML, SVG) is served from the platform's address.
FILE_EXTENSIONS = files.EXTENSIONS
FILE_HELP = f"{files.ACCEPTED}, 20 Mo au plus ; le type est vérifié sur le contenu du fichier."


class ResourceFilterForm(forms.Form):
    """The list's search and filters, read from the URL: an invalid value (an unknown id typed
    in the URL) is left out, its error shown; a long search is cut, not refused."""

    q = forms.CharField(
        label="Rechercher",
        required=False,
        help_text="Un titre, un mot du résumé, une thématique, qui la propose… (accents "
        "facultatifs)",
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "maxlength": MAX_SEARCH_LENGTH}
        ),
    )
    kind = forms.ChoiceField(label="Type", required=False)
    competency = forms.ModelChoiceField(
        label="Compétence", required=False, queryset=Competency.objects.none(), empty_label="Toutes"
    )
    topic = forms.ModelChoiceField(
        label="Thématique", required=False, queryset=Topic.objects.all(), empty_label="Toutes"
    )
    scheme_type = forms.ChoiceField(label="Type de dispositif", required=False)
    audience = forms.ChoiceField(label="Public", required=False)
    provider = forms.ChoiceField(label="Proposée par", required=False)
    event = forms.ChoiceField(
        label="Événements",
        required=False,
        choices=[
            ("", "Toutes les ressources"),
            ("any", "Liées à un événement"),
            ("replays", "Replays et supports de webinaires"),
        ],
    )

    def __init__(self, *args, access, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Tous"), *Resource.Kind.choices]
        self.fields["competency"].queryset = Competency.objects.filter(is_active=True)
        self.fields["scheme_type"].choices = [("", "Tous"), *Scheme.Kind.choices]
        self.fields["provider"].choices = [("", "Toutes les structures et personnes"), *providers]
        if access.can("resources.edit"):
            self.fields["audience"].choices = [("", "Tous"), *Resource.Audience.choices]
        else:
            del self.fields["audience"]

    def clean_q(self):
        return self.cleaned_data["q"].strip()[:MAX_SEARCH_LENGTH]

    def filters(self) -> dict:
        """The valid filters, as keyword arguments of `selectors.library.Filters`."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.errors
        }


def clean_upload(upload):
    """A form's check of an uploaded file (type from its content, size, name made safe)."""
    if isinstance(upload, UploadedFile):  # not the file already stored, kept on an edit
        files.validate_upload(upload)
    return upload


class ResourceForm(forms.ModelForm):
    file = forms.FileField(label="Fichier", required=False, help_text=FILE_HELP)
    url = forms.URLField(
        label="Lien",
        required=False,
        assume_scheme="https",
        help_text="Adresse du document, de la vidéo ou du module. Un fichier ou un lien : il en "
        "faut un pour publier la ressource.",
    )
    version_note = forms.CharField(
        label="Ce qui change",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text="Si vous remplacez le fichier ou le lien : une phrase pour la liste des "
        "versions (la précédente reste consultable).",
    )
    competencies = forms.ModelMultipleChoiceField(
        label="Compétences",
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label="Thématiques",
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scheme_types = forms.MultipleChoiceField(
        label="Types de dispositif",
        choices=Scheme.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les dispositifs pour lesquels la ressource est faite (aucun : tous).",
    )
    provider_organisation = forms.ModelChoiceField(
        label="Proposée par une structure",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="—",
        help_text="PromoSanté, un CRPV, une délégation de l’ARS…",
    )
    provider_person = PersonChoiceField(
        label="… ou par un·e coordinateur·rice",
        queryset=get_user_model().objects.none(),
        required=False,
        help_text="Laissez vide si une structure la propose.",
    )
    issued_on = DateField(label="Date du document", required=False)
    event = forms.ModelChoiceField(
        label="Événement",
        queryset=Event.objects.none(),
        required=False,
        widget=SearchSelect(placeholder="Tapez le titre d’un événement…"),
        help_text="Pour un replay, un support ou un document d’un webinaire ou d’une rencontre : "
        "il s’affiche sur la page de l’événement et dans l’e-mail envoyé après.",
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "kind",
            "summary",
            "file",
            "url",
            "version_note",
            "audience",
            "on_request",
            "provider_organisation",
            "provider_person",
            "issued_on",
            "event",
            "competencies",
            "topics",
            "scheme_types",
            "is_published",
        ]
        labels = {"title": "Titre", "kind": "Type", "summary": "Résumé", "audience": "Public"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {"title": 200})
        active = Q(is_active=True)
        if self.instance.pk:
            active |= Q(pk__in=self.instance.competencies.values("pk"))
        self.fields["competencies"].queryset = Competency.objects.filter(active)
        if not self.instance.pk:
            del self.fields["version_note"]  # a first content changes nothing
        self.fields["provider_organisation"].queryset = Organisation.objects.order_by("name")
        people = Q(
            pk__in=CoordinatorProfile.objects.filter(
                status=CoordinatorProfile.Status.APPROVED
            ).values("user_id")
        )
        if self.instance.provider_person_id:
            people |= Q(pk=self.instance.provider_person_id)
        self.fields["provider_person"].queryset = get_user_model().objects.filter(people)
        # Tutoring sessions are private: no material is attached to them.
        self.fields["event"].queryset = Event.objects.exclude(kind__in=PRIVATE_KINDS).order_by(
            "-starts_at"
        )
        self.fields["event"].label_from_instance = lambda event: (
            f"{event.title} ({event.starts_at:%d/%m/%Y})"
        )

    def clean_file(self):
        return clean_upload(self.cleaned_data.get("file"))

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))  # a new file, or the one kept (False: cleared)
        content_refused = "file" in self.errors or "url" in self.errors
        if cleaned.get("is_published") and not (has_file or cleaned.get("url") or content_refused):
            self.add_error("is_published", NO_CONTENT)
        if cleaned.get("provider_organisation") and cleaned.get("provider_person"):
            self.add_error(
                "provider_person",
                "Une structure ou une personne : laissez l’un des deux champs vide.",
            )
        return cleaned


class ResourceVersionForm(forms.Form):
    file = forms.FileField(label="Fichier", required=False, help_text=FILE_HELP)
    url = forms.URLField(
        label="… ou lien", required=False, assume_scheme="https", help_text="Un fichier ou un lien."
    )
    note = forms.CharField(
        label="Ce qui change",
        max_length=NOTE_MAX_LENGTH,
        help_text="Une phrase, montrée dans la liste des versions (« chiffres 2025 mis à jour »).",
    )

    def clean_file(self):
        return clean_upload(self.cleaned_data.get("file"))

    def clean(self):
        cleaned = super().clean()
        if "file" in self.errors or "url" in self.errors:
            return cleaned
        if not cleaned.get("file") and not cleaned.get("url"):
            self.add_error("file", "Ajoutez le fichier ou le lien de la nouvelle version.")
        elif cleaned.get("file") and cleaned.get("url"):
            self.add_error("url", "Une version est un fichier ou un lien : gardez l’un des deux.")
        return cleaned
