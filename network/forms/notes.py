"""Experience notes: the list's search and filters (a GET form: the URL keeps them), the note
form, a comment, an attached file."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from competencies.models import Competency
from coordinators.models import Topic
from core.widgets import SearchSelectMultiple
from resources.forms.library import FILE_EXTENSIONS
from territories.forms import CommuneMultipleChoiceField
from territories.models import Department

from ..models.notes import ExperienceNote
from ..services.notes import COMMENT_MAX_LENGTH, MAX_ATTACHMENT_SIZE, TEXT_MAX_LENGTH
from .search import FilterForm, search_field


class NoteFilterForm(FilterForm):
    q = search_field(
        "Un mot du titre ou du texte, une commune, une thématique, un nom.",
    )
    competency = forms.ModelChoiceField(
        label="Compétence",
        required=False,
        queryset=Competency.objects.filter(is_active=True),
        empty_label="Toutes",
    )
    topic = forms.ModelChoiceField(
        label="Thématique", required=False, queryset=Topic.objects.all(), empty_label="Toutes"
    )
    department = forms.ModelChoiceField(
        label="Département", required=False, queryset=Department.objects.all(), empty_label="Tous"
    )
    mine = forms.BooleanField(label="Mes fiches seulement", required=False)

    def __init__(self, *args, can_write=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["hx-get"] = reverse("notes")
        if not can_write:  # partners write no note
            del self.fields["mine"]


MARKDOWN_HELP = "Mise en forme simple acceptée (Markdown : **gras**, listes, liens)."


def _text(label, help_text=MARKDOWN_HELP, rows=5):
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SiteVisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({date_format(localtime(obj.starts_at), 'j F Y')})"


class NoteForm(forms.ModelForm):
    context = _text(
        "Contexte", "Le territoire, le besoin, d’où est partie l’action. " + MARKDOWN_HELP
    )
    partners = _text("Partenaires", "Qui a porté, financé, participé.", rows=3)
    action = _text(
        "L’action", "Ce qui a été fait, par qui, avec quels moyens. Nécessaire pour publier."
    )
    results = _text("Résultats")
    difficulties = _text("Difficultés rencontrées")
    lessons = _text("Enseignements", "Ce que vous referiez, ou autrement. " + MARKDOWN_HELP)
    contact = _text(
        "Pour en savoir plus",
        "Ce que vous choisissez d’écrire pour être joint·e (rien n’est ajouté de votre profil).",
        rows=2,
    )
    communes = CommuneMultipleChoiceField(label="Communes", required=False)
    competencies = forms.ModelMultipleChoiceField(
        label="Compétences mobilisées",
        queryset=Competency.objects.none(),
        required=False,
        widget=SearchSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label="Thématiques",
        queryset=Topic.objects.all(),
        required=False,
        widget=SearchSelectMultiple,
    )
    site_visit = SiteVisitChoiceField(
        label="Visite de site préparée",
        queryset=None,
        required=False,
        empty_label="Aucune",
        help_text="Si cette fiche prépare une visite de site de l’agenda.",
    )

    class Meta:
        model = ExperienceNote
        fields = [
            "title",
            "context",
            "department",
            "communes",
            "territory",
            "partners",
            "action",
            "results",
            "difficulties",
            "lessons",
            "contact",
            "competencies",
            "topics",
            "site_visit",
        ]
        labels = {"territory": "Territoire (précisions)"}
        help_texts = {
            "territory": "Un quartier, une intercommunalité, ou tout autre territoire.",
            "department": "Vide : déduit des communes s’il n’y en a qu’un.",
        }

    def __init__(self, *args, site_visits, **kwargs):
        super().__init__(*args, **kwargs)
        active = Q(is_active=True)
        if self.instance.pk:
            active |= Q(pk__in=self.instance.competencies.values("pk"))
        self.fields["competencies"].queryset = Competency.objects.filter(active)
        self.fields["site_visit"].queryset = site_visits
        self.fields["department"].empty_label = "—"


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Votre commentaire",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Écrivez votre commentaire avant de l’envoyer."},
    )


def _file_size(file):
    if file.size > MAX_ATTACHMENT_SIZE:
        size = f"{file.size / 1024 / 1024:.1f}".replace(".", ",")
        raise forms.ValidationError(f"Ce fichier fait {size} Mo : 10 Mo au plus.")


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Fichier",
        validators=[
            FileExtensionValidator(
                FILE_EXTENSIONS,
                message="Ce type de fichier n’est pas accepté. Types acceptés : "
                + ", ".join(FILE_EXTENSIONS)
                + ".",
            ),
            _file_size,
        ],
        error_messages={
            "required": "Choisissez un fichier à joindre.",
            "empty": "Ce fichier est vide.",
            "invalid": "Ce fichier n’a pas pu être lu : envoyez-le à nouveau.",
        },
        help_text="PDF, document bureautique, image ou texte, 10 Mo au plus.",
    )
