"""The dashboard's period and territory: bounded, in French, never wider than the reader's."""

from datetime import date

import pytest
import time_machine

from accounts.access import Access, Role
from dashboards.filters import Period, PeriodError, scope_for

DD93 = Access(Role.PARTNER, department_codes=frozenset({"93"}))
CRPV95 = Access(Role.PARTNER, department_codes=frozenset({"95", "78"}))
ARS = Access(Role.PARTNER, department_codes=None)
STAFF = Access(Role.STAFF, department_codes=None)


@time_machine.travel("2026-11-25 12:00 +0100", tick=False)
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (None, date(2026, 12, 31), "Indiquez le début et la fin"),
        (date(2026, 12, 31), date(2026, 1, 1), "inversez les deux dates"),
        (date(1, 1, 1), date(2026, 1, 1), "commencent en 2015"),
        (date(2016, 1, 1), date(2026, 12, 31), "au plus 5 ans"),
        (date(2026, 1, 1), date(2031, 1, 1), "trop loin dans l'avenir"),
    ],
)
def test_a_bad_period_is_refused_in_french(start, end, message):
    with pytest.raises(PeriodError, match=message):
        Period.between(start, end)


def test_a_year_and_a_period_are_named_as_people_say_them():
    assert Period.year(2026).label == "2026"
    assert Period.between(date(2024, 1, 1), date(2026, 12, 31)).label == "2024–2026"
    assert (
        Period.between(date(2026, 3, 1), date(2026, 6, 30)).label == "du 01/03/2026 au 30/06/2026"
    )


@pytest.mark.django_db
def test_a_partner_asking_for_another_departement_keeps_its_own():
    assert scope_for(DD93, department_codes=["75"]).department_codes == {"93"}
    assert scope_for(DD93, department_codes=["75", "93"]).department_codes == {"93"}
    assert scope_for(CRPV95, department_codes=["95"]).department_codes == {"95"}
    assert scope_for(CRPV95).department_codes == {"95", "78"}
    assert not scope_for(DD93).regional and not scope_for(DD93).individual


def test_regional_readers_see_the_region_or_what_they_choose():
    assert scope_for(ARS).department_codes is None and scope_for(ARS).regional
    assert scope_for(ARS, department_codes=["75"]).department_codes == {"75"}
    assert not scope_for(ARS).individual and scope_for(STAFF).individual


@pytest.mark.django_db
def test_a_territory_of_every_departement_is_the_region():
    """The ARS head office's organisation lists the eight départements: it reads the region,
    people of unknown département included, as staff do (not individual rows)."""
    every = Access(
        Role.PARTNER,
        department_codes=frozenset({"75", "77", "78", "91", "92", "93", "94", "95"}),
    )
    assert scope_for(every).department_codes is None and scope_for(every).regional
    assert scope_for(every, department_codes=["93"]).department_codes == {"93"}
    assert not scope_for(every).individual


def test_an_unknown_scheme_type_is_ignored():
    assert scope_for(STAFF, scheme_kind="CLS").scheme_kind == "CLS"
    assert scope_for(STAFF, scheme_kind="<script>").scheme_kind is None


def test_the_scope_filters_a_department_path():
    assert scope_for(STAFF).departments_filter("department") == {}
    assert scope_for(DD93).departments_filter("scheme__department") == {
        "scheme__department__code__in": {"93"}
    }
