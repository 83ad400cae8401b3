"""Form fields shared by every app: every date a person types has bounds."""

from datetime import date, datetime

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from core.text import fold
from core.widgets import SearchSelect

EARLIEST = date(1950, 1, 1)
LATEST = date(2099, 12, 31)


def _day(day):
    """ "1er janvier 1950", "31 décembre 2099"."""
    text = date_format(day, "j F Y")
    return text.replace("1 ", "1er ", 1) if day.day == 1 else text


class _Bounded:
    """Refuses a date before `earliest` or after `latest` with a French message, so that
    `0001-01-01` or `9999-12-31` never reach the database, an `.ics` or a date computation."""

    def __init__(self, *, earliest=EARLIEST, latest=LATEST, **kwargs):
        self.earliest, self.latest = earliest, latest
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        day = timezone.localtime(value).date() if isinstance(value, datetime) else value
        if day < self.earliest:
            raise ValidationError(
                "Indiquez une date à partir du %(day)s.",
                code="too_early",
                params={"day": _day(self.earliest)},
            )
        if day > self.latest:
            raise ValidationError(
                "Indiquez une date jusqu'au %(day)s au plus tard.",
                code="too_late",
                params={"day": _day(self.latest)},
            )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateField(_Bounded, forms.DateField):
    widget = DateInput


class DateTimeField(_Bounded, forms.DateTimeField):
    widget = DateTimeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])
        super().__init__(**kwargs)

    def to_python(self, value):
        # A year-9999 date would overflow once made aware; refuse it as out of bounds instead.
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(
                "Indiquez une date jusqu'au %(day)s au plus tard.",
                code="too_late",
                params={"day": _day(self.latest)},
            ) from None


def limit_lengths(form, limits):
    """Give free-text fields of `form` a maximum length: checked by the form (French message),
    announced to the browser by the `maxlength` attribute."""
    for name, limit in limits.items():
        field = form.fields[name]
        field.max_length = limit
        field.validators.append(validators.MaxLengthValidator(limit))
        field.widget.attrs["maxlength"] = str(limit)


class _FrenchOrder(forms.models.ModelChoiceIterator):
    """People by last name then first name, in French alphabetical order ("Élise" among the E)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        people = sorted(
            self.queryset, key=lambda user: (fold(user.last_name), fold(user.first_name), user.pk)
        )
        for person in people:
            yield self.choice(person)


class PersonChoiceField(forms.ModelChoiceField):
    """A person among hundreds, found by typing (accents ignored), in French order; the caller
    gives the people this user may see."""

    iterator = _FrenchOrder
    widget = SearchSelect

    def label_from_instance(self, obj):
        return f"{obj.last_name} {obj.first_name} — {obj.email}"
