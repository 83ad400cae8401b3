"""The competency framework edited by staff (`competencies.services`), read by everyone
(`competencies.selectors`)."""

import pytest

from competencies import selectors, services
from competencies.models import Competency, CompetencyDomain
from tests.learning.pathway_factories import CompetencyDomainFactory, CompetencyFactory

pytestmark = pytest.mark.django_db


def framework_rows():
    return (
        sorted(CompetencyDomain.objects.values_list("pk", "name")),
        sorted(Competency.objects.values_list("pk", "name", "level_1", "is_active")),
    )


def levels(**overrides):
    return {
        "level_1": "Je découvre.",
        "level_2": "Je pratique.",
        "level_3": "Je maîtrise.",
        "level_4": "Je transmets.",
        **overrides,
    }


def test_a_domain_is_created_then_renamed():
    domain = services.domain_save(domain=CompetencyDomain(name="  Animer un réseau ", position=3))
    assert CompetencyDomain.objects.get(pk=domain.pk).name == "Animer un réseau"
    domain.name = "Animer le réseau local"
    services.domain_save(domain=domain)
    assert CompetencyDomain.objects.get(pk=domain.pk).name == "Animer le réseau local"


@pytest.mark.parametrize(
    ("name", "message"),
    [("  ", "Donnez un nom au domaine."), ("x" * 201, "au plus 200"), ("Pris", "déjà ce nom")],
)
def test_a_refused_domain_says_why_and_saves_nothing(name, message):
    CompetencyDomainFactory(name="Pris")
    before = framework_rows()
    with pytest.raises(services.CompetencyError, match=message):
        services.domain_save(domain=CompetencyDomain(name=name))
    assert framework_rows() == before


def test_a_competency_is_saved_with_its_four_levels():
    domain = CompetencyDomainFactory()
    competency = services.competency_save(
        competency=Competency(domain=domain, name=" Conduire un diagnostic ", **levels())
    )
    competency.refresh_from_db()
    assert competency.name == "Conduire un diagnostic" and competency.is_active
    assert [text for _level, _label, text in competency.levels][3] == "Je transmets."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"domain": None}, "Choisissez le domaine de la compétence."),
        ({"name": ""}, "Donnez un nom à la compétence."),
        ({"name": "Prise"}, "Une compétence porte déjà ce nom."),
        ({"level_3": "  "}, r"Décrivez le niveau 3 \(maîtrise\)"),
    ],
)
def test_a_refused_competency_says_why_and_saves_nothing(fields, message):
    domain = CompetencyDomainFactory()
    CompetencyFactory(name="Prise", domain=domain)
    before = framework_rows()
    values = {"domain": domain, "name": "Nouvelle", **levels()}
    values.update(fields)
    with pytest.raises(services.CompetencyError, match=message):
        services.competency_save(competency=Competency(**values))
    assert framework_rows() == before


def test_a_competency_is_deactivated_then_offered_again():
    competency = CompetencyFactory()
    services.competency_set_active(competency=competency, active=False)
    assert not Competency.objects.get(pk=competency.pk).is_active
    services.competency_set_active(competency=competency, active=True)
    assert Competency.objects.get(pk=competency.pk).is_active


def test_the_framework_hides_inactive_competencies_except_from_editors(
    django_assert_num_queries,
):
    domain = CompetencyDomainFactory(name="Zz dernier domaine", position=99)
    second = CompetencyFactory(domain=domain, name="Bb", position=2)
    first = CompetencyFactory(domain=domain, name="Aa", position=1)
    retired = CompetencyFactory(domain=domain, name="Cc", position=3, is_active=False)

    def of_domain(domains):
        return next(list(d.competencies.all()) for d in domains if d.pk == domain.pk)

    with django_assert_num_queries(2):
        shown = of_domain(list(selectors.framework(with_inactive=False)))
    assert shown == [first, second]
    assert of_domain(selectors.framework(with_inactive=True)) == [first, second, retired]
