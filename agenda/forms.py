from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils import timezone

from accounts.models import Organisation
from coordinators.models import Topic
from core.forms import DateTimeField
from territories.forms import CommuneChoiceField
from territories.models import Department

from . import hooks
from .models import Event
from .services import event_hosts_usable, working_groups_usable


def _datetime_field(label, required=True, help_text=""):
    return DateTimeField(label=label, required=required, help_text=help_text)


class EventForm(forms.ModelForm):
    starts_at = _datetime_field("Début", help_text="Heure de Paris.")
    ends_at = _datetime_field("Fin")
    registration_opens_at = _datetime_field("Ouverture des inscriptions", required=False)
    registration_closes_at = _datetime_field(
        "Clôture des inscriptions", required=False, help_text="Vide : jusqu'au début."
    )
    video_url = forms.URLField(
        label="Lien de visioconférence",
        required=False,
        assume_scheme="https",
        help_text="Visible des seules personnes inscrites.",
    )
    replay_url = forms.URLField(
        label="Lien du replay",
        required=False,
        assume_scheme="https",
        help_text="Envoyé après l'événement avec le remerciement.",
    )
    capacity = forms.IntegerField(
        label="Places", min_value=1, required=False, help_text="Vide : sans limite."
    )
    audiences = forms.MultipleChoiceField(
        label="Publics",
        choices=Event.Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Event.Audience.ALL],
    )
    departments = forms.ModelMultipleChoiceField(
        label="Départements concernés",
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : offre régionale.",
    )
    topics = forms.ModelMultipleChoiceField(
        label="Thématiques",
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "is_welcome_day",
            "starts_at",
            "ends_at",
            "location",
            "access_info",
            "video_url",
            "replay_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "audiences",
            "organiser",
            "departments",
            "topics",
            "working_group",
            "host",
            "preparation_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "preparation_notes": forms.Textarea(attrs={"rows": 3}),
            "access_info": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        organisations = access.publishing_organisations
        self.fields["organiser"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        departments = access.departments()
        self.fields["departments"].queryset = departments
        if not self.instance.pk and len(organisations) == 1:
            # A CRPV or a DD publishes in its own name, for its own territory.
            self.initial["organiser"] = organisations[0].pk
            if not access.is_regional and len(departments) == 1:
                self.initial["departments"] = [departments[0].pk]
        # A CRPV or a DD attaches its events to the working groups it leads, staff to any.
        self.fields["working_group"].queryset = working_groups_usable(access)
        # Coordinators in post, of the partner's territory (the edited event's host stays).
        self.fields["host"].queryset = event_hosts_usable(access, keep_id=self.instance.host_id)
        self.fields["host"].help_text = "Pour une visite de site : la personne qui accueille."
        # Higher floors add their fields (learning: the offer it is a session of).
        self.extra_fields = []
        hooks.event_form.send(form=self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("L'événement", "kind", "title", "description", "is_welcome_day"),
            Fieldset(
                "Date et lieu",
                "starts_at",
                "ends_at",
                "location",
                "access_info",
                "video_url",
                "replay_url",
            ),
            Fieldset(
                "Inscriptions",
                "capacity",
                "registration_opens_at",
                "registration_closes_at",
                "audiences",
            ),
            Fieldset(
                "Organisation",
                "organiser",
                "departments",
                "topics",
                *self.extra_fields,
                "working_group",
                "host",
                "preparation_notes",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "La fin doit être postérieure au début.")
        if starts and ends and ends - starts > timedelta(days=7):
            self.add_error("ends_at", "Un événement dure au plus une semaine.")
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", "La clôture doit suivre l'ouverture.")
        if closes and starts and closes > starts:
            self.add_error("registration_closes_at", "La clôture doit précéder le début.")
        if not self.instance.pk and starts and starts < timezone.now():
            self.add_error("starts_at", "Cette date est passée.")
        if not cleaned.get("location") and not cleaned.get("video_url"):
            self.add_error("location", "Indiquez un lieu ou un lien de visioconférence.")
        if not self.access.is_regional and not cleaned.get("departments"):
            self.add_error(
                "departments", "Choisissez le ou les départements de votre territoire concernés."
            )
        return cleaned


class GuestInviteForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse e-mail")
    function = forms.CharField(
        label="Fonction",
        max_length=200,
        required=False,
        help_text="Par exemple : adjointe au maire déléguée à la santé, directeur du CCAS.",
    )


class GuestRegistrationForm(forms.Form):
    """The invited person's details; their address is the invitation's, shown and not editable
    (a disabled field ignores what is posted)."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse e-mail",
        disabled=True,
        required=False,
        help_text="L'adresse à laquelle vous avez été invité·e : l'invitation est personnelle.",
    )
    function = forms.CharField(label="Fonction", max_length=200)
    structure = forms.CharField(
        label="Structure",
        max_length=200,
        required=False,
        help_text="Par exemple : mairie de Saint-Denis, conseil départemental.",
    )
    commune = CommuneChoiceField(label="Commune", empty_label="Choisissez votre commune")


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'annulation (envoyé aux inscrit·es)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
