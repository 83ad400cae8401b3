"""The lists coordinators choose from (`services.list_item_*`): backgrounds and topics."""

import pytest

from agenda.models import Event
from coordinators import services
from coordinators.models import Background, Topic
from tests.factories import CoordinatorProfileFactory, EventFactory

pytestmark = pytest.mark.django_db


def names(model):
    return sorted(model.objects.values_list("name", flat=True))


@pytest.mark.parametrize(("kind", "model"), [("parcours", Background), ("thematiques", Topic)])
def test_add_a_label_to_either_list(kind, model):
    before = names(model)
    item = services.list_item_add(kind=kind, name="  Chronobiologie  ")
    assert isinstance(item, model) and item.name == "Chronobiologie"
    assert names(model) == sorted([*before, "Chronobiologie"])


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [
        ("thematiques", "   ", "Indiquez un libellé."),
        ("thematiques", "x" * 101, "Un libellé fait au plus 100 caractères."),
        ("thematiques", "Nutrition", "Ce libellé existe déjà dans la liste."),
        ("inconnue", "Nutrition bis", "Cette liste n'existe pas."),
    ],
)
def test_a_refused_label_says_why_and_saves_nothing(kind, name, message):
    Topic.objects.get_or_create(name="Nutrition")
    before = (names(Topic), names(Background))
    with pytest.raises(services.RegisterError, match=message):
        services.list_item_add(kind=kind, name=name)
    assert (names(Topic), names(Background)) == before


def test_the_same_label_may_be_in_both_lists():
    Topic.objects.get_or_create(name="Urbanisme")
    services.list_item_add(kind="parcours", name="Urbanisme")
    assert Background.objects.filter(name="Urbanisme").exists()


def test_renaming_changes_the_label_everywhere_it_was_chosen(coordinator):
    topic = services.list_item_add(kind="thematiques", name="Santé environnement")
    profile = coordinator.coordinator_profile
    profile.topics.add(topic)
    services.list_item_rename(item=topic, name="Santé-environnement")
    assert [t.name for t in profile.topics.all()] == ["Santé-environnement"]
    # Renaming to its own name is not a duplicate.
    services.list_item_rename(item=topic, name="Santé-environnement")


def test_renaming_to_a_label_taken_is_refused_and_changes_nothing():
    first = services.list_item_add(kind="parcours", name="Ergonome")
    services.list_item_add(kind="parcours", name="Acousticien·ne")
    with pytest.raises(services.RegisterError, match="Ce libellé existe déjà dans la liste."):
        services.list_item_rename(item=first, name="Acousticien·ne")
    first.refresh_from_db()
    assert first.name == "Ergonome"
    with pytest.raises(services.RegisterError, match="Indiquez un libellé."):
        services.list_item_rename(item=first, name="")
    first.refresh_from_db()
    assert first.name == "Ergonome"


def test_removing_a_label_removes_it_from_profiles_and_events_and_nothing_else():
    background = services.list_item_add(kind="parcours", name="Travail social")
    topic = services.list_item_add(kind="thematiques", name="Accès aux droits")
    profile = CoordinatorProfileFactory(background=background)
    profile.topics.add(topic)
    event = EventFactory()
    event.topics.add(topic)

    services.list_item_delete(item=background)
    services.list_item_delete(item=topic)

    profile.refresh_from_db()
    assert profile.background is None and not profile.topics.exists()
    assert Event.objects.filter(pk=event.pk).exists() and not event.topics.exists()
    assert not Background.objects.filter(name="Travail social").exists()
