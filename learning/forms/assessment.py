"""The self-assessment form: one question per active competency, four levels in plain words."""

from django import forms

from competencies.models import Competency

LEVEL_CHOICES = [(str(level), label) for level, label in Competency.LEVELS]


def field_name(competency):
    return f"competence_{competency.pk}"


class SelfAssessmentForm(forms.Form):
    """Fields are built from `competencies` (with their domain loaded); `previous` maps a
    competency id to the level of the latest assessment, pre-selected."""

    def __init__(self, *args, competencies, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        previous = previous or {}
        for competency in self.competencies:
            self.fields[field_name(competency)] = forms.TypedChoiceField(
                label=competency.name,
                choices=LEVEL_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                initial=str(previous[competency.pk]) if competency.pk in previous else None,
                error_messages={
                    "required": f"Choisissez votre niveau pour « {competency.name} ».",
                    "invalid_choice": (
                        f"Le niveau de « {competency.name} » doit être l'un des quatre "
                        "niveaux proposés (1 à 4)."
                    ),
                },
            )

    def levels(self):
        """{competency id: level} once the form is valid, for `self_assessment_submit`."""
        return {c.pk: self.cleaned_data[field_name(c)] for c in self.competencies}

    def questions(self):
        """[(domain, [Question])] in the order of the framework, for the template."""
        groups = []
        for competency in self.competencies:
            bound = self[field_name(competency)]
            selected = str(bound.value()) if bound.value() not in (None, "") else None
            question = Question(competency, bound, selected)
            if groups and groups[-1][0].pk == competency.domain_id:
                groups[-1][1].append(question)
            else:
                groups.append((competency.domain, [question]))
        return groups


class Question:
    """A competency with its bound field and its four levels as radio options."""

    def __init__(self, competency, bound, selected):
        self.competency = competency
        self.field = bound
        self.id = f"q-{competency.pk}"
        self.options = [
            {
                "id": f"{self.id}-{level}",
                "value": str(level),
                "label": label,
                "description": description,
                "checked": selected == str(level),
            }
            for level, label, description in competency.levels
        ]

    @property
    def errors(self):
        return self.field.errors

    @property
    def name(self):
        return self.field.html_name
