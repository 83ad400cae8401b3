from django import forms

from .models import Competency, CompetencyDomain


class CompetencyDomainForm(forms.ModelForm):
    class Meta:
        model = CompetencyDomain
        fields = ["name", "position"]
        error_messages = {"name": {"unique": "Un domaine porte déjà ce nom."}}


LEVEL_REQUIRED = "Décrivez ce niveau en quelques mots simples."


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = [
            "domain",
            "name",
            "description",
            "level_1",
            "level_2",
            "level_3",
            "level_4",
            "position",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ("description", "level_1", "level_2", "level_3", "level_4")
        }
        error_messages = {
            "name": {"unique": "Une compétence porte déjà ce nom."},
            **{f"level_{n}": {"required": LEVEL_REQUIRED} for n in range(1, 5)},
        }
