"""The news board: its filters (a GET form: the URL keeps them) and a post's form."""

from django import forms

from core.forms import DateField
from territories.models import Department

from ..models.news import NewsPost
from ..selectors.news import EVERYWHERE, MINE, REGION
from ..services.news import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from .search import FilterForm


def department_choices(mine_label, *, regional=False):
    """For a regional reader "mine" is everywhere already: one choice, not two."""
    return [
        (MINE, mine_label),
        *([] if regional else [(EVERYWHERE, "Tous les départements")]),
        (REGION, "Toute la région seulement"),
        *((d.code, f"{d.name} ({d.code})") for d in Department.objects.order_by("code")),
    ]


class NewsFilterForm(FilterForm):
    category = forms.ChoiceField(
        label="Catégorie",
        required=False,
        choices=[("", "Toutes"), *NewsPost.Category.choices],
    )
    department = forms.ChoiceField(label="Département concerné", required=False)
    state = forms.ChoiceField(
        label="Afficher",
        required=False,
        choices=[
            ("", "Les actualités en cours"),
            ("archives", "Archives (expirées)"),
            ("brouillons", "Brouillons"),
        ],
    )

    def __init__(self, *args, is_regional=False, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices(
            "Tous" if is_regional else "Ceux qui me concernent", regional=is_regional
        )
        if not can_publish:  # archives and drafts are their authors' (and the team's)
            del self.fields["state"]


class NewsPostForm(forms.ModelForm):
    title = forms.CharField(label="Titre", max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label="Texte",
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Mise en forme simple acceptée (Markdown : **gras**, listes, liens).",
    )
    departments = forms.ModelMultipleChoiceField(
        label="Départements concernés",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = DateField(
        label="Retirer du fil après le",
        required=False,
        help_text="Après cette date, l’actualité quitte le fil (elle reste lisible à son "
        "adresse). Vide : elle reste.",
    )
    link = forms.URLField(
        label="Lien",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Une page à lire, un formulaire de candidature…",
        error_messages={"invalid": "Saisissez une adresse web complète (https://…)."},
    )

    class Meta:
        model = NewsPost
        fields = [
            "title",
            "category",
            "organisation",
            "departments",
            "body",
            "link",
            "expires_on",
            "pinned",
        ]
        labels = {"category": "Catégorie", "organisation": "Au nom de", "pinned": "Épinglée"}
        help_texts = {"pinned": "Une actualité épinglée reste en tête du fil."}

    def __init__(self, *args, organisations, departments, can_pin, is_regional, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["organisation"].empty_label = None
        self.fields["departments"].queryset = departments
        self.fields["departments"].help_text = (
            "Aucun coché : toute la région."
            if is_regional
            else "Les départements de votre structure concernés (un au moins)."
        )
        if not can_pin:
            del self.fields["pinned"]
