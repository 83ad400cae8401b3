"""Forms of tutoring: asking, proposing, answering, planning a session, a note, the end."""

from django import forms

from accounts.models import User
from core.forms import DateTimeField, limit_lengths

from ..services.tutoring import MAX_MESSAGE, MAX_NOTE

CHOICE_ERRORS = {
    "invalid_choice": "Choisissez dans la liste : cette personne n’y est pas (ou plus).",
    "invalid_pk_value": "Choisissez dans la liste : cette personne n’y est pas (ou plus).",
}


class _TutorChoice(forms.ModelChoiceField):
    """'Moreau Julien — Sarcelles (95)': sorted by last name, so shown last name first, with the
    commune that tells two namesakes apart (the directory always shows it)."""

    def label_from_instance(self, obj):
        name = f"{obj.last_name} {obj.first_name}".strip() or obj.email
        profile = getattr(obj, "coordinator_profile", None)
        commune = profile.commune if profile else None
        if commune is None:
            return name
        return f"{name} — {commune.name} ({commune.department.code})"


class TutoringRequestForm(forms.Form):
    tutor = _TutorChoice(
        label="Tuteur·rice souhaité·e",
        help_text="Les coordinateur·rices qui accompagnent des nouveaux·elles et ont encore de "
        "la place.",
        queryset=User.objects.none(),
        required=False,
        empty_label="Personne en particulier : l’équipe me propose quelqu’un",
        error_messages=CHOICE_ERRORS,
    )
    message = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Ce que vous attendez du tutorat, vos disponibilités…",
    )

    def __init__(self, *args, tutors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = tutors if tutors is not None else User.objects.none()
        limit_lengths(self, {"message": MAX_MESSAGE})


class TutoringProposeForm(forms.Form):
    tutor = _TutorChoice(
        label="Tuteur·rice proposé·e",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={**CHOICE_ERRORS, "required": "Choisissez le tuteur ou la tutrice."},
    )
    message = forms.CharField(
        label="Message au tuteur ou à la tutrice",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, tutors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = User.objects.filter(
            pk__in=[t.pk for t in tutors]
        ).select_related("coordinator_profile__commune__department")
        limit_lengths(self, {"message": MAX_MESSAGE})


class TutoringAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label="Votre réponse",
        choices=[("accept", "J’accepte d’être tuteur·rice"), ("decline", "Je décline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Dites si vous acceptez ou déclinez."},
    )
    answer = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Obligatoire si vous déclinez : la personne le recevra par e-mail.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {"answer": MAX_MESSAGE})


class TutoringSessionForm(forms.Form):
    starts_at = DateTimeField(label="Date et heure", help_text="Heure de Paris.")
    minutes = forms.TypedChoiceField(
        label="Durée",
        coerce=int,
        choices=[(30, "30 minutes"), (60, "1 heure"), (90, "1 heure 30"), (120, "2 heures")],
        initial=60,
    )
    location = forms.CharField(label="Lieu", required=False)
    video_url = forms.URLField(
        label="Lien de visioconférence", required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {"location": 300, "video_url": 200})


class TutoringNoteForm(forms.Form):
    text = forms.CharField(
        label="Nouvelle note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible du binôme et de l’équipe PromoSanté seulement.",
        error_messages={"required": "Écrivez la note avant de l’enregistrer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {"text": MAX_NOTE})


class TutoringEndForm(forms.Form):
    feedback = forms.CharField(
        label="Votre bilan",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="En quelques phrases : ce que ce tutorat vous a apporté.",
        error_messages={"required": "Écrivez votre bilan en quelques mots."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {"feedback": MAX_MESSAGE})
