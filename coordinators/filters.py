from datetime import date

import django_filters
from django.db.models import Q

from territories.models import Department

from . import selectors
from .models import Scheme


class YesNoAllWidget(django_filters.widgets.BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "Tous"), ("true", "Oui"), ("false", "Non"))


class SchemeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom ou commune", method="filter_q")
    kind = django_filters.ChoiceFilter(
        label="Type", choices=Scheme.Kind.choices, empty_label="Tous"
    )
    department = django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Department.objects.all(),
        field_name="department",
        empty_label="Tous",
    )
    status = django_filters.ChoiceFilter(
        label="Statut", choices=Scheme.Status.choices, empty_label="Tous"
    )
    current = django_filters.BooleanFilter(
        label="En cours ou en renouvellement",
        method="filter_current",
        widget=YesNoAllWidget(),
    )
    vacancy = django_filters.BooleanFilter(
        label="Avec un poste vacant ou inconnu",
        method="filter_vacancy",
        widget=YesNoAllWidget(),
    )
    renewal_due = django_filters.BooleanFilter(
        label="À renouveler dans les 12 mois",
        method="filter_renewal",
        widget=YesNoAllWidget(),
    )

    class Meta:
        model = Scheme
        fields = ["q", "kind", "department", "status", "current", "vacancy", "renewal_due"]

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the départements whose schemes the list can show (a partner: its own).
        self.filters["department"].queryset = access.scope_listing(
            Department.objects.all(), department_field=""
        )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(communes__name__icontains=value)
            | Q(communes__code_insee=value)
        ).distinct()

    def filter_current(self, queryset, name, value):
        """The schemes the dashboard counts as running (its links say `current=true`)."""
        if value is None:
            return queryset
        running = Q(status__in=selectors.CURRENT_SCHEMES)
        return queryset.filter(running) if value else queryset.exclude(running)

    def filter_vacancy(self, queryset, name, value):
        if value is None:
            return queryset
        # Materialise the few open posts first: as a correlated subquery inside IN, PostgreSQL
        # would re-evaluate every post's status for every scheme.
        open_posts = list(
            selectors.posts_at(date.today())
            .exclude(status_at=selectors.POST_FILLED)
            .values_list("pk", flat=True)
        )
        links = Scheme.posts.through.objects.filter(post_id__in=open_posts)
        with_gap = Q(pk__in=links.values("scheme_id"))
        return queryset.filter(with_gap) if value else queryset.exclude(with_gap)

    def filter_renewal(self, queryset, name, value):
        if value is None:
            return queryset
        due = Q(pk__in=selectors.schemes_due_for_renewal(12, date.today()).values("pk"))
        return queryset.filter(due) if value else queryset.exclude(due)
