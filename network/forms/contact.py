"""Writing to a peer through the platform."""

from django import forms

from core.forms import limit_lengths

from ..models.contact import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH


class ContactForm(forms.Form):
    subject = forms.CharField(
        label="Objet",
        error_messages={"required": "Donnez un objet à votre message."},
    )
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Écrivez votre message."},
        help_text="Présentez-vous en quelques mots et dites ce que vous attendez de l’échange.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {"subject": SUBJECT_MAX_LENGTH, "body": BODY_MAX_LENGTH})
