import django_filters
from django import forms
from django.db.models import Max, Q

from core.forms import limit_lengths

from . import onboarding
from .models import Category, Delivery, Sequence, SequenceStep
from .preferences import OPTIONAL
from .registry import CONDITIONS, REMINDER_KINDS, SEGMENTS, TRIGGERS

# The Markdown of an onboarding e-mail: a long letter at most.
BODY_LENGTH = 20000


def topic_choices():
    """What something was sent about (an event, a sequence), in the order of time: by the last
    e-mail of each (an event's last reminder or follow-up is at its date), never as text, where
    "05/01/2027" would come before "15/12/2026". One query, however long the log."""
    topics = (
        Delivery.objects.exclude(topic="")
        .values("topic")
        .annotate(label=Max("topic_label"), last=Max("due_at"))
        .order_by("last", "label")
        .values_list("topic", "label")
    )
    return [(topic, label or topic) for topic, label in topics]


class DeliveryFilter(django_filters.FilterSet):
    """Filters of the staff outbox; an invalid value is shown on the form and ignored."""

    status = django_filters.ChoiceFilter(
        label="Statut", choices=Delivery.Status.choices, empty_label="Tous"
    )
    category = django_filters.ChoiceFilter(
        label="Catégorie", choices=Category.choices, empty_label="Toutes"
    )
    person = django_filters.CharFilter(label="Personne (nom ou e-mail)", method="filter_person")
    topic = django_filters.ChoiceFilter(
        label="À propos de", choices=topic_choices, empty_label="Tout"
    )

    class Meta:
        model = Delivery
        fields = ["status", "category", "person", "topic"]

    def filter_person(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(email__icontains=word)
                | Q(recipient__first_name__icontains=word)
                | Q(recipient__last_name__icontains=word)
            )
        return queryset

    def qs_without_status(self):
        """What the other filters select: the counts per status at the top of the outbox."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.errors  # noqa: B018 - validates the form: invalid fields are ignored
        for name, value in self.form.cleaned_data.items():
            if name != "status":
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class ReminderRuleForm(forms.Form):
    """A new reminder rule; `services.reminder_rule_add` checks it is new and before the start."""

    kind = forms.ChoiceField(label="Type d'événement", choices=REMINDER_KINDS.choices)
    days_before = forms.IntegerField(
        label="Jours avant",
        initial=0,
        min_value=0,
        max_value=365,
        error_messages={
            "min_value": "Le nombre de jours ne peut pas être négatif.",
            "max_value": "Un rappel se place au plus 365 jours avant l'événement.",
        },
    )
    hours_before = forms.IntegerField(
        label="Heures avant",
        initial=0,
        min_value=0,
        max_value=23,
        help_text="Retirées après les jours : J-1 et 2 heures, H-1…",
        error_messages={
            "min_value": "Le nombre d'heures ne peut pas être négatif.",
            "max_value": "Au-delà de 23 heures, indiquez des jours.",
        },
    )
    with_video_link = forms.BooleanField(label="Avec le lien de visioconférence", required=False)
    with_access = forms.BooleanField(label="Avec l'adresse et l'accès", required=False)


class SequenceForm(forms.ModelForm):
    trigger = forms.ChoiceField(label="Déclencheur", choices=TRIGGERS.choices)
    segments = forms.MultipleChoiceField(
        label="Types de dispositif",
        choices=SEGMENTS.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : tous les coordinateur·rices.",
    )

    class Meta:
        model = Sequence
        fields = ["name", "trigger", "segments", "newcomers_only", "is_active"]
        error_messages = {"name": {"unique": "Une séquence porte déjà ce nom."}}
        help_texts = {
            "is_active": "Décochée : les personnes accompagnées ne reçoivent plus ses e-mails."
        }


class SequenceStepForm(forms.ModelForm):
    condition = forms.ChoiceField(
        label="Condition",
        choices=lambda: [("", "Toujours"), *CONDITIONS.choices()],
        required=False,
    )
    delay_days = forms.IntegerField(
        label="Délai (jours après le déclencheur)",
        min_value=0,
        max_value=365,
        error_messages={
            "min_value": "Le délai ne peut pas être négatif.",
            "max_value": "Une étape se place au plus 365 jours après le déclencheur.",
        },
    )

    class Meta:
        model = SequenceStep
        fields = ["delay_days", "subject", "body", "condition", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"body": "Markdown. Les variables possibles sont listées à côté."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(self, {"body": BODY_LENGTH})

    def _checked(self, field):
        text = self.cleaned_data[field]
        errors = onboarding.body_errors(text)
        if errors:
            raise forms.ValidationError(errors)
        return text

    def clean_subject(self):
        return self._checked("subject")

    def clean_body(self):
        return self._checked("body")


class PreferencesForm(forms.Form):
    receive = forms.MultipleChoiceField(
        label="Je reçois",
        choices=[(category.value, category.label) for category in OPTIONAL],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def muted(self):
        return {category.value for category in OPTIONAL} - set(self.cleaned_data["receive"])
