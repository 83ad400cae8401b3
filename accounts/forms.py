from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth import password_validation

from territories.forms import CommuneChoiceField

from .models import Invitation, Organisation, User


class InvitationForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label="Structure",
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Obligatoire pour l'équipe PromoSanté et les partenaires.",
    )
    commune = CommuneChoiceField(
        label="Commune d'exercice", required=False, help_text="Pour un·e coordinateur·rice."
    )

    class Meta:
        model = Invitation
        fields = ["email", "first_name", "last_name", "role", "organisation", "commune"]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Un compte existe déjà pour cette adresse e-mail.")
        return email

    def clean(self):
        cleaned = super().clean()
        role, organisation = cleaned.get("role"), cleaned.get("organisation")
        if role == Invitation.Role.COORDINATOR:
            cleaned["organisation"] = None
        elif role and not organisation:
            self.add_error("organisation", "Choisissez la structure de la personne invitée.")
        elif role == Invitation.Role.STAFF and organisation.kind != Organisation.Kind.PROMOSANTE:
            self.add_error("organisation", "L'équipe PromoSanté appartient à PromoSanté IdF.")
        elif role == Invitation.Role.PARTNER and organisation.kind == Organisation.Kind.PROMOSANTE:
            self.add_error("organisation", "Un·e partenaire appartient à une autre structure.")
        return cleaned


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="12 caractères au moins.",
    )
    password2 = forms.CharField(
        label="Mot de passe (confirmation)",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne correspondent pas.")
        elif p1:
            probe = User(
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UserNameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class LoginForm(AllauthLoginForm):
    """The cursor waits in the e-mail field; its label says what to type (no placeholder that
    says it differently)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Adresse e-mail"
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["autofocus"] = True
        self.fields["password"].widget.attrs.pop("placeholder", None)
