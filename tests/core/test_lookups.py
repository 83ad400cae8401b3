import pytest
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from coordinators.models import Topic

HUGE = 10**20


def test_ids_beyond_the_integer_range_match_nothing_even_on_sqlite():
    sqlite = DatabaseWrapper(
        {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    )
    query = Topic.objects.filter(pk__in=[HUGE]).query
    with pytest.raises(EmptyResultSet):
        query.get_compiler(connection=sqlite).as_sql()
    sql, params = (
        Topic.objects.filter(pk__in=[HUGE, 3]).query.get_compiler(connection=sqlite).as_sql()
    )
    assert HUGE not in params and 3 in params


@pytest.mark.django_db
def test_a_multi_select_with_an_enormous_id_answers_invalid_choice():
    class Form(forms.Form):
        topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all())

    form = Form({"topics": [str(HUGE)]})
    assert not form.is_valid()
    assert "choix valide" in form.errors["topics"][0]
