"""The demo's data files (`demo/data/`): they load, they refer to what exists, and a file that does
not fit says where."""

from dataclasses import dataclass, replace

import pytest

from agenda.models import Event
from demo import loaders
from learning.models import Audience, Offer
from notifications import onboarding
from notifications.registry import CONDITIONS


@pytest.fixture(autouse=True)
def fresh_files():
    """Read the files again (the loaders cache them)."""
    for loader in (
        loaders.accounts,
        loaders.register,
        loaders.handovers,
        loaders.people,
        loaders.agenda,
        loaders.learning,
        loaders.notifications,
    ):
        loader.cache_clear()


def test_the_register_has_the_figures_of_the_spec():
    register = loaders.register()
    totals = {kind: sum(counts.values()) for kind, counts in register.scheme_counts.items()}
    assert totals == {"CLS": 82, "CLSM": 69, "ASV": 67}
    assert register.departments == ["75", "77", "78", "91", "92", "93", "94", "95"]
    assert (register.vacant_today, register.unknown_today) == (20, 6)
    assert register.qpv["93066"][0] == "Quartier des Francs-Moisins"
    assert [c.account for c in register.demo_coordinators] == ["newcomer", "experienced"]


def test_the_catalogue_and_the_agenda_refer_to_each_other():
    learning = loaders.learning()
    assert len(learning.offers) == 15 and len(learning.pathways) == 3
    assert all(len(c.levels) == 4 for c in learning.competencies)
    agenda = loaders.agenda()
    assert len(agenda.webinars.sessions) == 10 and len(agenda.boussole.meetings) == 5
    assert {w.offer for w in agenda.webinars.sessions} == {
        "webinars_health",
        "webinars_coordination",
        "webinars_advocacy",
    }
    # The welcome day's description is its introduction, then its programme.
    welcome = agenda.days.welcome_day
    assert welcome.description().startswith("Vous avez pris votre poste")
    assert "\n\n**Programme**\n\n- 9 h 00 — Accueil\n" in welcome.description()


def test_the_welcome_sequence_uses_only_known_variables_and_conditions():
    steps = loaders.notifications().welcome_sequence.steps
    assert [s.delay_days for s in steps] == [0, 3, 7, 14, 30, 90]
    for step in steps:
        assert onboarding.body_errors(step.subject) == []
        assert onboarding.body_errors(step.body) == []
        assert step.condition == "" or step.condition in CONDITIONS


@dataclass(frozen=True, kw_only=True)
class Sample:
    title: str
    kind: Offer.Kind
    audiences: tuple[Audience, ...] = (Audience.ALL,)
    capacity: int | None = None
    day: loaders.Day = 0


def test_a_file_is_read_into_typed_records():
    sample = loaders.build(
        Sample,
        {"title": "Journée", "kind": "regional_day", "audiences": ["newcomers"], "day": 12},
        "sample.yaml",
    )
    assert sample == Sample(
        title="Journée", kind=Offer.Kind.REGIONAL_DAY, audiences=(Audience.NEWCOMERS,), day=12
    )
    assert isinstance(sample.audiences, tuple)


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"title": "Journée", "kind": "regional_day", "capacty": 3}, "clé inconnue « capacty »"),
        ({"kind": "regional_day"}, "la clé « title » manque"),
        ({"title": "Journée", "kind": "colloque"}, "sample.yaml.kind : 'colloque' n'est pas"),
        ({"title": "Journée", "kind": "webinar", "audiences": "all"}, "une liste est attendue"),
        ({"title": "Journée", "kind": "webinar", "capacity": "12"}, "un nombre entier"),
        ({"title": 12, "kind": "webinar"}, "un texte est attendu"),
        ({"title": "Journée", "kind": "webinar", "day": "hier"}, "une date AAAA-MM-JJ"),
    ],
)
def test_a_file_that_does_not_fit_says_where_and_why(raw, message):
    with pytest.raises(loaders.DataError, match=message):
        loaders.build(Sample, raw, "sample.yaml")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"offers": "competencies"}, "« empathie » est inconnu"),
        ({"resources": "offer"}, "« empathie » est inconnu"),
        ({"domains": "levels"}, "a quatre niveaux"),
    ],
)
def test_an_unknown_reference_is_refused(change, message):
    data = loaders.learning()
    ((collection, field),) = change.items()
    if collection == "domains":
        domain = data.domains[0]
        broken = replace(domain.competencies[0], levels=domain.competencies[0].levels[:3])
        wrong = replace(domain, competencies=(broken, *domain.competencies[1:]))
    else:
        item = getattr(data, collection)[0]
        wrong = replace(item, **{field: ("empathie",) if field == "competencies" else "empathie"})
    items = getattr(data, collection)
    broken_data = replace(data, **{collection: (wrong, *items[1:])})
    with pytest.raises(loaders.DataError, match=message):
        loaders.check_learning(broken_data)
    loaders.check_learning(data)


def test_event_audiences_are_those_of_the_agenda():
    for family in (loaders.agenda().webinars, loaders.agenda().days.welcome_day):
        assert all(isinstance(a, Event.Audience) for a in family.audiences)
