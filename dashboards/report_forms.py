"""The forms of the yearly activity reports: choosing a year and a territory, writing a part."""

from django import forms

from territories.models import Department

from .filters import FIRST_YEAR
from .services import last_report_year


class ReportForm(forms.Form):
    annee = forms.TypedChoiceField(label="Année", coerce=int)
    departements = forms.MultipleChoiceField(
        label="Territoire",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun département coché : le bilan de toute la région.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = last_report_year()
        years = range(last, FIRST_YEAR - 1, -1)
        year = self.fields["annee"]
        year.choices = [(value, str(value)) for value in years]
        year.initial = last - 1
        year.error_messages = {
            "required": "Choisissez l’année du bilan.",
            "invalid_choice": f"Choisissez une année entre {FIRST_YEAR} et {last}.",
        }
        departments = self.fields["departements"]
        departments.choices = [
            (code, f"{name} ({code})")
            for code, name in Department.objects.order_by("code").values_list("code", "name")
        ]
        departments.error_messages = {
            "invalid_choice": "Département inconnu : %(value)s. Cochez des départements de "
            "la liste."
        }


class NarrativeForm(forms.Form):
    text = forms.CharField(
        # No maxlength in the page: a longer paste would be cut without a word; the service
        # refuses it and says the limit (`services.narrative_save`, French figures).
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "En Markdown : **gras**, *italique*, listes (une ligne par élément commençant par "
            "« - »), liens [texte](https://…). Chaque enregistrement garde le texte précédent "
            "dans l’historique."
        ),
        error_messages={
            "required": "Écrivez le texte avant de l’enregistrer (un texte vide n’est pas "
            "enregistré).",
        },
    )
    # The version the writer started from ("": none), to refuse overwriting a newer one.
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label

    def clean(self):
        data = super().clean()
        base = (data.get("base") or "").strip()
        if not base:
            data["base"] = None
        elif base.isdigit() and len(base) < 19:
            data["base"] = int(base)
        else:
            self.add_error(None, "La page est incomplète : rechargez-la, puis recommencez.")
        return data
