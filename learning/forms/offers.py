"""Forms and filters of the catalogue (/parcours/offres/) and of the competency framework."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import Q

from accounts.models import Organisation
from competencies.models import Competency
from learning.models import Audience, Offer
from resources.models import Resource
from territories.models import Department


def audience_filter(queryset, value):
    """Offers (or pathways) for `value`: audiences are a JSON list that SQLite cannot search
    element-wise, so the quoted value is looked for in the JSON text (works on both databases)."""
    return queryset.filter(audiences__icontains=f'"{value}"')


class OfferFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="Type", choices=Offer.Kind.choices, empty_label="Tous")
    permanence = django_filters.ChoiceFilter(
        label="Dans le temps", choices=Offer.Permanence.choices, empty_label="Toutes"
    )
    provider = django_filters.ModelChoiceFilter(
        label="Proposée par",
        queryset=Organisation.objects.filter(offers__isnull=False).distinct(),
        method="filter_provider",
        empty_label="Toutes les structures",
    )
    department = django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Department.objects.all(),
        method="filter_department",
        empty_label="Tous",
        help_text="Les offres régionales sont toujours montrées.",
    )
    competency = django_filters.ModelChoiceFilter(
        label="Compétence travaillée",
        queryset=Competency.objects.filter(is_active=True),
        method="filter_competency",
        empty_label="Toutes",
    )
    audience = django_filters.ChoiceFilter(
        label="Public", choices=Audience.choices, method="filter_audience", empty_label="Tous"
    )

    class Meta:
        model = Offer
        fields = ["kind", "permanence", "provider", "department", "competency", "audience"]

    # Subqueries rather than joins: an offer never comes out twice.
    def filter_provider(self, queryset, name, value):
        return queryset.filter(
            pk__in=Offer.providers.through.objects.filter(organisation=value).values("offer_id")
        )

    def filter_department(self, queryset, name, value):
        links = Offer.departments.through.objects
        departmental = links.filter(department=value).values("offer_id")
        regional = ~Q(pk__in=links.values("offer_id"))
        return queryset.filter(Q(pk__in=departmental) | regional)

    def filter_competency(self, queryset, name, value):
        return queryset.filter(
            pk__in=Offer.competencies.through.objects.filter(competency=value).values("offer_id")
        )

    def filter_audience(self, queryset, name, value):
        return audience_filter(queryset, value)


def _checkboxes(label, queryset, required=False, help_text="", **kwargs):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        **kwargs,
    )


class OfferForm(forms.ModelForm):
    """Staff choose any provider and département; a CRPV or a DD publishes in its own name, for
    its own départements. On a co-built offer, what the user may not choose is kept as it is."""

    audiences = forms.MultipleChoiceField(
        label="Publics",
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un public."},
    )
    providers = _checkboxes(
        "Proposée par",
        Organisation.objects.none(),
        required=True,
        help_text="Plusieurs structures : offre co-construite.",
        error_messages={"required": "Choisissez au moins une structure qui propose l'offre."},
    )
    departments = _checkboxes(
        "Départements", Department.objects.none(), help_text="Aucun coché : offre régionale."
    )
    competencies = _checkboxes("Compétences travaillées", Competency.objects.none())
    resources = _checkboxes(
        "Ressources de l'offre",
        Resource.objects.none(),
        help_text="Les ressources de la bibliothèque qui en font partie.",
    )

    class Meta:
        model = Offer
        fields = [
            "title",
            "kind",
            "permanence",
            "description",
            "audiences",
            "providers",
            "departments",
            "competencies",
            "resources",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"title": {"unique": "Une offre porte déjà ce titre."}}

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [org.pk for org in access.publishing_organisations]
        self.fields["providers"].queryset = Organisation.objects.filter(pk__in=allowed)
        departments = access.departments()
        self.fields["departments"].queryset = departments
        active = Q(is_active=True)
        if self.instance.pk:
            active |= Q(pk__in=self.instance.competencies.values("pk"))
        self.fields["competencies"].queryset = Competency.objects.filter(active).select_related(
            "domain"
        )
        self.fields["competencies"].label_from_instance = lambda c: f"{c.domain} — {c.name}"
        published = Q(is_published=True)
        if self.instance.pk:
            published |= Q(pk__in=self.instance.resources.values("pk"))
        self.fields["resources"].queryset = Resource.objects.filter(published)
        # What the user may not change on someone else's share of a co-built offer (kept as it
        # is by `services.offer_save`), shown next to the choices.
        self.kept_providers, self.kept_departments = [], []
        if self.instance.pk:
            self.kept_providers = list(self.instance.providers.exclude(pk__in=allowed))
            self.kept_departments = list(
                self.instance.departments.exclude(pk__in=departments.values("pk"))
            )
        else:
            # (model_to_dict already filled these keys with empty lists: replace them.)
            self.initial["audiences"] = self.initial.get("audiences") or [Audience.ALL]
            if len(allowed) == 1 and not self.initial.get("providers"):
                self.initial["providers"] = allowed
                if not access.is_regional and len(departments) == 1:
                    self.initial["departments"] = [departments[0].pk]
        if not access.is_regional:
            self.fields["departments"].help_text = "Les départements de votre territoire concernés."
        if self.kept_providers:
            names = ", ".join(str(org) for org in self.kept_providers)
            self.fields["providers"].help_text = f"Co-construite avec {names} (inchangé)."
        if self.kept_departments:
            names = ", ".join(d.code for d in self.kept_departments)
            self.fields["departments"].help_text = f"Aussi pour : {names} (inchangé)."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("L'offre", "title", "kind", "permanence", "description", "audiences"),
            Fieldset("Qui la propose, où", "providers", "departments"),
            Fieldset("Ce qu'elle travaille", "competencies", "resources"),
        )
