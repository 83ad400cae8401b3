from datetime import date

import pytest
from django import forms
from django.test import override_settings

from core.forms import DateField, DateTimeField


class Form(forms.Form):
    day = DateField(required=False)
    moment = DateTimeField(required=False)


@pytest.mark.parametrize(
    "data, error",
    [
        ({"day": "0001-01-01"}, "day"),
        ({"day": "9999-12-31"}, "day"),
        ({"moment": "0001-01-01T00:00"}, "moment"),
        ({"moment": "9999-12-31T23:59"}, "moment"),
    ],
)
@override_settings(TIME_ZONE="Europe/Paris")
def test_dates_out_of_bounds_are_refused_in_french(data, error):
    form = Form(data)
    assert not form.is_valid()
    assert "Indiquez une date" in form.errors[error][0]


def test_dates_within_bounds_are_accepted():
    form = Form({"day": "2026-11-25", "moment": "2027-02-10T09:30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 11, 25)


def test_the_first_of_the_month_is_written_as_in_french():
    form = Form({"day": "1900-06-01"})
    assert not form.is_valid()
    assert form.errors["day"] == ["Indiquez une date à partir du 1er janvier 1950."]
