"""Forms of requests for resources distributed on request (the Boussole): asking, the team's
decision (one request or the checked ones) and the team's filters. What is allowed (how many
copies, the address, which step follows which) is the service's to say: the forms parse."""

import django_filters
from django import forms
from django.db.models import Q

from core.forms import DateField, limit_lengths
from territories.models import Department

from ..models.library import Resource
from ..models.requests import MAX_COPIES, ResourceRequest
from ..services.requests import ACCEPT, ADDRESS, MAX_MESSAGE, MAX_REASON, REFUSE, SEND

Format = ResourceRequest.Format


class ResourceRequestForm(forms.Form):
    format = forms.ChoiceField(
        label="Ce que vous demandez",
        choices=[
            (Format.PRINTED, "Des exemplaires imprimés, envoyés par la poste"),
            (
                Format.DIGITAL,
                "Le fichier numérique, envoyé par l’équipe (pour l’imprimer ou le transmettre)",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez des exemplaires imprimés ou le fichier numérique.",
            "invalid_choice": "Choisissez des exemplaires imprimés ou le fichier numérique.",
        },
    )
    quantity = forms.IntegerField(
        label="Nombre d’exemplaires",
        required=False,
        help_text=f"Pour les exemplaires imprimés : de 1 à {MAX_COPIES}.",
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_COPIES}),
        error_messages={"invalid": "Indiquez un nombre entier d’exemplaires, par exemple 3."},
    )
    recipient = forms.CharField(label="Destinataire", required=False)
    structure = forms.CharField(label="Structure (facultatif)", required=False)
    street = forms.CharField(label="Adresse (numéro et rue)", required=False)
    postcode = forms.CharField(label="Code postal", required=False, help_text="5 chiffres.")
    city = forms.CharField(label="Commune", required=False)
    message = forms.CharField(
        label="Message à l’équipe (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Pour quel usage, une date souhaitée…",
    )

    AUTOCOMPLETE = {
        "recipient": "name",
        "structure": "organization",
        "street": "street-address",
        "postcode": "postal-code",
        "city": "address-level2",
    }

    def __init__(self, *args, resource=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        limit_lengths(
            self,
            {"message": MAX_MESSAGE, **{name: limit for name, (_, limit) in ADDRESS.items()}},
        )
        for name, token in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        self.fields["postcode"].widget.attrs["inputmode"] = "numeric"


class DecisionForm(forms.Form):
    """The team's step on a request: accept, mark sent (on a day), refuse (with a reason)."""

    action = forms.ChoiceField(
        label="Action",
        choices=[
            (ACCEPT, "Accepter"),
            (SEND, "Marquer envoyée"),
            (REFUSE, "Refuser"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une action : accepter, marquer envoyée ou refuser.",
            "invalid_choice": "Choisissez une action : accepter, marquer envoyée ou refuser.",
        },
    )
    sent_on = DateField(
        label="Envoyée le",
        required=False,
        help_text="Pour « marquer envoyée » : le jour de l’envoi (pas dans le futur).",
    )
    reason = forms.CharField(
        label="Motif du refus",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Pour « refuser » : il est envoyé à la personne.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {"reason": MAX_REASON})


CHECKED_ERRORS = {
    "required": "Cochez au moins une demande.",
    "invalid_choice": "Une des demandes cochées n’existe plus : rechargez la page.",
    "invalid_pk_value": "Une des demandes cochées n’existe plus : rechargez la page.",
    "invalid_list": "Cochez au moins une demande.",
}


class BulkDecisionForm(DecisionForm):
    """The same step on every checked request of the list."""

    requests = forms.ModelMultipleChoiceField(
        queryset=ResourceRequest.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages=CHECKED_ERRORS,
    )

    def checked(self) -> set[str]:
        """The ids checked (as posted), to check them again when the page is shown again."""
        return set(self.data.getlist("requests")) if self.is_bound else set()


class RequestFilter(django_filters.FilterSet):
    """The team's filters on `selectors.requests.requests_for_team()` (annotated)."""

    resource = django_filters.ModelChoiceFilter(
        label="Ressource",
        queryset=Resource.objects.filter(Q(on_request=True) | Q(requests__isnull=False))
        .distinct()
        .order_by("title"),
        empty_label="Toutes",
    )
    state = django_filters.ChoiceFilter(
        label="État", choices=ResourceRequest.State.choices, empty_label="Tous"
    )
    department = django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        method="filter_department",
        empty_label="Tous",
    )
    format = django_filters.ChoiceFilter(
        label="Format", choices=ResourceRequest.Format.choices, empty_label="Tous"
    )

    class Meta:
        model = ResourceRequest
        fields = ["resource", "state", "department", "format"]

    def filter_department(self, queryset, name, value):
        return queryset.filter(department_code=value.code)
