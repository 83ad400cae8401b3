"""The dashboard's filters, read from the URL: a year or a period from–to, départements within
the reader's territory, a scheme type. Every page of the dashboard (and its exports) reads
them the same way (`read_filters`)."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from coordinators.models import Scheme
from core.forms import DateField, DateInput

from .filters import FIRST_YEAR, Period, PeriodError, scope_for
from .sections import Context


class DashboardFilters(forms.Form):
    annee = forms.TypedChoiceField(
        label="Année",
        coerce=int,
        required=False,
    )
    du = DateField(label="Du", required=False, widget=DateInput())
    au = DateField(label="Au", required=False, widget=DateInput())
    departement = forms.MultipleChoiceField(
        label="Département", required=False, widget=forms.CheckboxSelectMultiple
    )
    type = forms.ChoiceField(
        label="Type de dispositif",
        required=False,
        error_messages={"invalid_choice": "Choisissez un type de dispositif de la liste."},
    )

    def __init__(self, data, *, access):
        super().__init__(data)
        this_year = timezone.localdate().year
        self.fields["annee"].choices = [("", "Dates ci-contre")] + [
            (year, str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
        ]
        self.fields["annee"].error_messages["invalid_choice"] = (
            f"Choisissez une année entre {FIRST_YEAR} et {this_year}."
        )
        departments = access.departments().order_by("code")
        self.fields["departement"].choices = [
            (code, f"{name} ({code})") for code, name in departments.values_list("code", "name")
        ]
        self.fields["type"].choices = [("", "Tous")] + list(Scheme.Kind.choices)
        self.access = access

    def clean(self):
        data = super().clean()
        start, end, year = data.get("du"), data.get("au"), data.get("annee")
        if self.errors:
            return data
        try:
            if start or end:
                data["period"] = Period.between(start, end)
            else:
                data["period"] = Period.year(year or timezone.localdate().year)
        except PeriodError as error:
            raise forms.ValidationError(str(error), code="period") from error
        data["period"] = data["period"].to_date()
        return data


@dataclass
class Filters:
    form: DashboardFilters
    context: Context | None  # None when the filters are wrong (the form says why)

    @property
    def query(self) -> str:
        """The filters as a query string, for links to the exports and the other pages."""
        return self.form.data.urlencode() if hasattr(self.form.data, "urlencode") else ""


def read_filters(request) -> Filters:
    """The filters of `request.GET`; a département outside the reader's territory is dropped
    (the form refuses it as an unknown choice, and `scope_for` never widens the scope)."""
    access = request.access
    data = request.GET.copy()
    allowed = access.department_codes
    if allowed is not None and "departement" in data:
        data.setlist("departement", [c for c in data.getlist("departement") if c in allowed])
    if not any(data.get(name) for name in ("annee", "du", "au")):
        data["annee"] = str(timezone.localdate().year)
    form = DashboardFilters(data, access=access)
    if not form.is_valid():
        return Filters(form, None)
    scope = scope_for(
        access,
        department_codes=form.cleaned_data.get("departement") or (),
        scheme_kind=form.cleaned_data.get("type") or None,
    )
    return Filters(form, Context(form.cleaned_data["period"], scope, access))
