import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django_filters.fields import ModelChoiceField

from coordinators.models import Scheme
from trainings.models import Event

from . import onboarding
from .models import Category, Delivery, ReminderRule, Sequence, SequenceStep
from .preferences import OPTIONAL


class EventChoiceField(ModelChoiceField):
    def label_from_instance(self, event):
        return f"{timezone.localtime(event.starts_at):%d/%m/%Y} — {event.title}"


class EventFilter(django_filters.ModelChoiceFilter):
    field_class = EventChoiceField


class DeliveryFilter(django_filters.FilterSet):
    """Filters of the staff outbox; an invalid value is shown on the form and ignored."""

    status = django_filters.ChoiceFilter(
        label="Statut", choices=Delivery.Status.choices, empty_label="Tous"
    )
    category = django_filters.ChoiceFilter(
        label="Catégorie", choices=Category.choices, empty_label="Toutes"
    )
    person = django_filters.CharFilter(label="Personne (nom ou e-mail)", method="filter_person")
    event = EventFilter(
        label="Événement",
        # Only the events something was sent about: one query, however long the agenda.
        queryset=Event.objects.filter(
            pk__in=Delivery.objects.filter(event__isnull=False).values("event_id")
        ).order_by("-starts_at"),
        empty_label="Tous",
    )

    class Meta:
        model = Delivery
        fields = ["status", "category", "person", "event"]

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
    kind = forms.ChoiceField(label="Type d'événement", choices=Event.Kind.choices)
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

    def clean(self):
        cleaned = super().clean()
        kind, days, hours = (cleaned.get(f) for f in ("kind", "days_before", "hours_before"))
        if days is None or hours is None or kind is None:
            return cleaned
        if not days and not hours:
            raise forms.ValidationError(
                "Indiquez au moins un jour ou une heure avant le début de l'événement."
            )
        if ReminderRule.objects.filter(kind=kind, days_before=days, hours_before=hours).exists():
            label = ReminderRule(days_before=days, hours_before=hours).label
            raise forms.ValidationError(
                f"Il existe déjà un rappel {label} pour « {Event.Kind(kind).label} »."
            )
        return cleaned


class SequenceForm(forms.ModelForm):
    scheme_types = forms.MultipleChoiceField(
        label="Types de dispositif",
        choices=Scheme.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : tous les coordinateur·rices.",
    )

    class Meta:
        model = Sequence
        fields = ["name", "trigger", "scheme_types", "newcomers_only", "is_active"]
        error_messages = {"name": {"unique": "Une séquence porte déjà ce nom."}}
        help_texts = {
            "is_active": "Décochée : les personnes accompagnées ne reçoivent plus ses e-mails."
        }


class SequenceStepForm(forms.ModelForm):
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
