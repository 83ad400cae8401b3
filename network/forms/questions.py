"""Mutual help's forms: ask, answer, and the list's search and filters (a GET form)."""

from django import forms

from competencies.models import Competency
from coordinators.models import Topic
from core.widgets import SearchSelectMultiple

from ..models.questions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from ..selectors.questions import STATES
from .search import FilterForm, search_field

MARKDOWN_HELP = (
    "Mise en forme Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…)."
)
CHOICE_ERRORS = {
    "invalid_choice": "Choisissez dans la liste : « %(value)s » n’y est pas.",
    "invalid_pk_value": "Choisissez dans la liste : « %(pk)s » n’y est pas.",
}


def _text_field(label, limit, required_message, **kwargs):
    return forms.CharField(
        label=label,
        max_length=limit,
        error_messages={
            "required": required_message,
            "max_length": "Ce texte fait %(show_value)s caractères : %(limit_value)s au plus, "
            "raccourcissez-le.",
        },
        **kwargs,
    )


class QuestionForm(forms.Form):
    title = _text_field(
        "Votre question",
        TITLE_MAX_LENGTH,
        "Écrivez votre question en une phrase.",
        help_text="En une phrase, par exemple « Comment présenter le CLSM aux élu·es ? ».",
    )
    body = _text_field(
        "Précisions",
        BODY_MAX_LENGTH,
        "Précisez votre question : le contexte, ce que vous avez déjà essayé.",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Le contexte, ce que vous avez déjà essayé. " + MARKDOWN_HELP,
    )
    competencies = forms.ModelMultipleChoiceField(
        label="Compétences concernées",
        queryset=Competency.objects.filter(is_active=True),
        required=False,
        widget=SearchSelectMultiple,
        error_messages=CHOICE_ERRORS,
        help_text="Les pairs qui peuvent aider sur ces compétences ou ces thématiques sont "
        "prévenu·es.",
    )
    topics = forms.ModelMultipleChoiceField(
        label="Thématiques",
        queryset=Topic.objects.all(),
        required=False,
        widget=SearchSelectMultiple,
        error_messages=CHOICE_ERRORS,
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("competencies") or data.get("topics")):
            raise forms.ValidationError(
                "Choisissez au moins une compétence ou une thématique : c’est ainsi que les "
                "pairs qui peuvent aider sont prévenu·es."
            )
        return data


class AnswerForm(forms.Form):
    body = _text_field(
        "Votre réponse",
        BODY_MAX_LENGTH,
        "Écrivez votre réponse avant de l’envoyer.",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class QuestionFilterForm(FilterForm):
    q = search_field(
        "Un mot de la question, de ses précisions, de ses réponses ou de ses thèmes.",
        live=False,
    )
    competency = forms.ModelChoiceField(
        label="Compétence",
        required=False,
        queryset=Competency.objects.all(),
        empty_label="Toutes",
    )
    topic = forms.ModelChoiceField(
        label="Thématique", required=False, queryset=Topic.objects.all(), empty_label="Toutes"
    )
    state = forms.ChoiceField(label="Réponses", required=False, choices=[("", "Toutes"), *STATES])
    mine = forms.BooleanField(label="Mes questions seulement", required=False)
