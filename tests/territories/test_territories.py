import pytest
from django.core.management import call_command

from territories.loader import load_territories
from territories.models import Commune, Department, Intercommunality


@pytest.mark.django_db
def test_real_territories_are_loaded():
    assert Department.objects.count() == 8
    assert Commune.objects.count() == 1286
    assert Intercommunality.objects.filter(kind="EPT").count() == 11
    saint_denis = Commune.objects.select_related("department", "ept").get(code_insee="93066")
    assert saint_denis.name == "Saint-Denis"
    assert saint_denis.department.name == "Seine-Saint-Denis"
    assert saint_denis.ept.name == "Plaine Commune"
    assert Commune.objects.filter(kind="arrondissement-municipal").count() == 20


@pytest.mark.django_db
def test_loading_twice_changes_nothing(django_assert_max_num_queries):
    before = list(Commune.objects.values_list("pk", "name", "ept_id", "epci_id"))
    with django_assert_max_num_queries(10):
        counts = load_territories()
    assert counts == {"départements": 8, "intercommunalités": 63, "communes": 1286}
    assert list(Commune.objects.values_list("pk", "name", "ept_id", "epci_id")) == before


@pytest.mark.django_db
def test_loading_repairs_an_edited_commune(capsys):
    Commune.objects.filter(code_insee="93066").update(name="Saint-Denis (modifié)", ept=None)
    call_command("load_territories")
    commune = Commune.objects.get(code_insee="93066")
    assert commune.name == "Saint-Denis"
    assert commune.ept.name == "Plaine Commune"
    assert "1286 communes" in capsys.readouterr().out
