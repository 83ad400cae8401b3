from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms

from accounts.models import User
from core.forms import DateField, PersonChoiceField, limit_lengths
from territories.forms import CommuneChoiceField
from territories.models import Commune

from . import hooks, services
from .models import CoordinatorProfile, HandoverFile, Post, Scheme, Tenure

# Free text a person types: a paragraph of a profile or a message, a section of a handover file.
PARAGRAPH = 2000
SECTION = 10000


class SchemeForm(forms.ModelForm):
    communes = forms.ModelMultipleChoiceField(
        label="Communes couvertes",
        queryset=Commune.objects.select_related("department").order_by("name"),
        help_text="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
    )

    class Meta:
        model = Scheme
        fields = [
            "kind",
            "name",
            "communes",
            "carrier_name",
            "carrier_kind",
            "status",
            "signed_on",
            "ends_on",
            "qpv_names",
        ]
        field_classes = {"signed_on": DateField, "ends_on": DateField}
        widgets = {"qpv_names": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {"qpv_names": PARAGRAPH})

    def clean(self):
        cleaned = super().clean()
        signed, ends = cleaned.get("signed_on"), cleaned.get("ends_on")
        if signed and ends and ends < signed:
            self.add_error("ends_on", "La date de fin précède la date de signature.")
        communes = cleaned.get("communes")
        if communes and len({c.department_id for c in communes}) > 1:
            self.add_error(
                "communes", "Les communes d'un dispositif doivent être dans un même département."
            )
        return cleaned


class PostForm(forms.ModelForm):
    schemes = forms.ModelMultipleChoiceField(
        label="Dispositifs",
        queryset=Scheme.objects.none(),
        help_text="Un même poste peut coordonner plusieurs dispositifs (ASV et CLS, par exemple).",
    )

    class Meta:
        model = Post
        fields = ["schemes", "fte", "opened_on", "closed_on", "status_unknown"]
        field_classes = {"opened_on": DateField, "closed_on": DateField}

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schemes"].queryset = Scheme.objects.filter(department=department)

    def clean(self):
        cleaned = super().clean()
        opened, closed = cleaned.get("opened_on"), cleaned.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", "La date de suppression précède la date d'ouverture.")
        return cleaned


class ArrivalForm(forms.Form):
    person = PersonChoiceField(
        label="Coordinateur·rice",
        queryset=User.objects.filter(coordinator_profile__isnull=False),
        required=False,
        empty_label="— Personne nouvelle : remplir ci-dessous —",
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    email = forms.EmailField(label="Adresse e-mail", required=False)
    started_on = DateField(label="Date de prise de poste", initial=date.today)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("Une personne déjà connue de la plateforme", "person"),
            Fieldset("Ou une nouvelle personne", "first_name", "last_name", "email"),
            "started_on",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person"):
            return cleaned
        missing = [f for f in ("first_name", "last_name", "email") if not cleaned.get(f)]
        for name in missing:
            self.add_error(name, "Choisissez une personne connue ou renseignez ce champ.")
        email = cleaned.get("email")
        if email and User.objects.filter(email__iexact=email).exists():
            self.add_error("email", "Cette personne existe déjà : choisissez-la dans la liste.")
        return cleaned


class DepartureForm(forms.Form):
    ended_on = DateField(label="Date de départ", initial=date.today)
    reason = forms.ChoiceField(label="Motif du départ", choices=Tenure.EndReason.choices)


class TenureForm(forms.Form):
    started_on = DateField(label="Prise de poste")
    ended_on = DateField(label="Départ", required=False)
    end_reason = forms.ChoiceField(
        label="Motif du départ", choices=[("", "—"), *Tenure.EndReason.choices], required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ended_on") and not cleaned.get("end_reason"):
            self.add_error("end_reason", "Indiquez le motif du départ.")
        return cleaned


class ClaimForm(forms.Form):
    started_on = DateField(label="Je suis sur ce poste depuis le")
    message = forms.CharField(
        label="Message à l'équipe (facultatif)",
        max_length=PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class HandoverForm(forms.ModelForm):
    class Meta:
        model = HandoverFile
        fields = [name for name, _label in HandoverFile.SECTIONS]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4}) for name, _label in HandoverFile.SECTIONS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {name: SECTION for name, _label in HandoverFile.SECTIONS})


class CoordinatorDetailsForm(forms.ModelForm):
    """What a coordinator tells the network about themselves, and what the directory shows."""

    commune = CommuneChoiceField(label="Commune d'exercice", required=False)
    directory_fields = forms.MultipleChoiceField(
        label="Visible dans l'annuaire des coordinateurs",
        choices=CoordinatorProfile.DIRECTORY_FIELDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Votre nom, vos dispositifs et votre commune sont toujours visibles des "
        "membres du réseau. Le reste n'apparaît que si vous le cochez.",
    )

    class Meta:
        model = CoordinatorProfile
        fields = [
            "commune",
            "employer",
            "job_title",
            "phone",
            "background",
            "diploma_level",
            "topics",
            "can_help_with",
            "looking_for",
            "needs_environment",
            "needs_skills",
            "needs_peers",
            "directory_fields",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "can_help_with": forms.Textarea(attrs={"rows": 3}),
            "looking_for": forms.Textarea(attrs={"rows": 3}),
            "needs_environment": forms.Textarea(attrs={"rows": 2}),
            "needs_skills": forms.Textarea(attrs={"rows": 2}),
            "needs_peers": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(
            self,
            dict.fromkeys(
                (
                    "can_help_with",
                    "looking_for",
                    "needs_environment",
                    "needs_skills",
                    "needs_peers",
                ),
                PARAGRAPH,
            ),
        )
        # Higher floors add their fields (network: offers and needs among competencies, topics).
        self.extra_fields = {"can_help_with": [], "looking_for": [], "exchanges": []}
        hooks.profile_form.send(form=self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("Mon poste", "commune", "employer", "job_title", "phone"),
            Fieldset("Mon parcours", "background", "diploma_level", "topics"),
            Fieldset(
                "Ce que je partage avec les pairs",
                "can_help_with",
                *self.extra_fields["can_help_with"],
                "looking_for",
                *self.extra_fields["looking_for"],
            ),
            *(
                [Fieldset("Mes échanges avec les pairs", *self.extra_fields["exchanges"])]
                if self.extra_fields["exchanges"]
                else []
            ),
            Fieldset(
                "Mes besoins",
                HTML(
                    '<p class="form-text">À trois niveaux : votre environnement, vos '
                    "compétences, vos liens avec les pairs. Seule l'équipe PromoSanté les lit, "
                    "pour construire l'offre.</p>"
                ),
                "needs_environment",
                "needs_skills",
                "needs_peers",
            ),
            Fieldset("Ma visibilité dans l'annuaire", "directory_fields"),
        )

    def extra_data(self):
        """The cleaned values of the fields higher floors added (`hooks.profile_form`)."""
        names = [name for added in self.extra_fields.values() for name in added]
        return {name: self.cleaned_data[name] for name in names}

    def clean_phone(self):
        try:
            return services.phone_checked(self.cleaned_data["phone"])
        except services.RegisterError as error:
            raise forms.ValidationError(str(error)) from error


class CoordinatorSignupForm(forms.Form):
    """Extra fields of allauth's sign-up form: who the coordinator is and where they work."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    commune = CommuneChoiceField(
        label="Commune où vous exercez",
        empty_label="Choisissez une commune",
        help_text="La commune principale couverte par votre dispositif.",
    )
    employer = forms.CharField(
        label="Structure employeuse",
        max_length=200,
        help_text="Par exemple : Ville de Bondy, CCAS.",
    )
    job_title = forms.CharField(
        label="Intitulé du poste",
        max_length=200,
        help_text="Par exemple : coordinatrice du Contrat local de santé.",
    )

    def signup(self, request, user):
        """Called by allauth once the account exists."""
        services.signup_create_profile(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            commune=self.cleaned_data["commune"],
            employer=self.cleaned_data["employer"],
            job_title=self.cleaned_data["job_title"],
        )
