"""Forms of the vacancies (`coordinators.vacancies`): publishing one, and the public list's
filters. The rules (dates, FTE, contact, département) are the service's; the form says them early
and in French."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from core.forms import DateField, limit_lengths
from territories.forms import CommuneChoiceField
from territories.models import Department

from . import vacancies
from .models import Scheme


class VacancyForm(forms.Form):
    title = forms.CharField(label="Intitulé de l’offre")
    description = forms.CharField(
        label="Description du poste",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Missions, profil recherché, conditions (contrat, rémunération). Mise en forme "
        "Markdown : **gras**, listes avec « - ».",
    )
    fte = forms.DecimalField(
        label="Temps de travail (ETP)",
        min_value=vacancies.FTE_MIN,
        max_value=vacancies.FTE_MAX,
        max_digits=3,
        decimal_places=2,
        help_text="Entre 0,1 et 1 (1 = temps plein).",
        error_messages={
            "min_value": "Le temps de travail est d’au moins 0,1 ETP.",
            "max_value": "Le temps de travail est d’au plus 1 ETP (temps plein).",
        },
    )
    employer = forms.CharField(label="Employeur")
    commune = CommuneChoiceField(label="Lieu de travail (commune)")
    contact_name = forms.CharField(
        label="Contact (nom et fonction)",
        help_text="Publié sur la page publique de l’offre, comme les adresses ci-dessous : "
        "n’indiquez que ce que l’employeur accepte de montrer.",
    )
    contact_email = forms.EmailField(
        label="Adresse e-mail pour candidater", max_length=vacancies.TEXT_MAX, required=False
    )
    contact_url = forms.URLField(
        label="Ou une adresse web pour candidater",
        max_length=vacancies.URL_MAX,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="La page de l’offre sur le site de l’employeur, par exemple.",
    )
    closes_on = DateField(label="Date limite de candidature")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(
            self,
            {
                "title": vacancies.TITLE_MAX,
                "description": vacancies.DESCRIPTION_MAX,
                "employer": vacancies.TEXT_MAX,
                "contact_name": vacancies.TEXT_MAX,
            },
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("Le poste", "title", "description", "fte", "employer", "commune"),
            Fieldset("Candidater", "contact_name", "contact_email", "contact_url", "closes_on"),
        )

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        today = timezone.localdate()
        if closes_on < today:
            raise forms.ValidationError(
                "La date limite de candidature est passée : choisissez aujourd’hui ou une date "
                "à venir."
            )
        if closes_on > today + timedelta(days=vacancies.OPEN_AT_MOST_DAYS):
            raise forms.ValidationError(
                "Une offre reste publiée un an au plus : choisissez une date limite plus proche."
            )
        return closes_on

    def clean(self):
        cleaned = super().clean()
        if (
            not self.errors.get("contact_email")
            and not self.errors.get("contact_url")
            and not cleaned.get("contact_email")
            and not cleaned.get("contact_url")
        ):
            self.add_error(
                "contact_email",
                "Indiquez comment candidater : une adresse e-mail ou une adresse web "
                "(ou les deux).",
            )
        return cleaned


ALL_KINDS = [("", "Tous les dispositifs"), *Scheme.Kind.choices]


class VacancyFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label="Département",
        queryset=Department.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="Tous les départements",
    )
    kind = forms.ChoiceField(label="Type de dispositif", choices=ALL_KINDS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = vacancies.list_departments()

    def filters(self):
        """What to filter on: the valid choices only (an unknown value filters nothing)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "department": data.get("department") if "department" not in self.errors else None,
            "kind": data.get("kind") if "kind" not in self.errors else "",
        }
