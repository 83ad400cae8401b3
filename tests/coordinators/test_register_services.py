"""The register's rules and turnover figures, checked against values computed by hand."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from accounts.access import access_for
from coordinators import selectors
from coordinators.models import HandoverFile, Scheme, Tenure
from coordinators.services import (
    RegisterError,
    post_arrival,
    post_departure,
    scheme_save,
    tenure_update,
)
from tests.factories import PostFactory, SchemeFactory, TenureFactory, UserFactory, commune

pytestmark = pytest.mark.django_db

D = date


@pytest.fixture(autouse=True)
def _today():
    """The figures below were computed by hand for 30 June 2023."""
    with time_machine.travel(datetime(2023, 6, 30, 12, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def register(db):
    """Three posts in Seine-Saint-Denis and one in Val-d'Oise, with a known history.

    P1 (CLS Saint-Denis, opened 2020-01-01): Alice 2020-01-01 → 2022-07-01, Bob since 2022-10-01
    P2 (CLSM Bondy, opened 2021-01-01): Carla 2021-03-01 → 2023-03-01, vacant since
    P3 (ASV Aubervilliers, opened 2022-01-01): status unknown
    P4 (CLS Sarcelles, 95, opened 2019-01-01): Dan since 2019-01-01
    """
    people = {name: UserFactory(first_name=name) for name in ("Alice", "Bob", "Carla", "Dan")}
    cls_93 = SchemeFactory(commune_codes=["93066"], ends_on=D(2024, 3, 31))
    clsm_93 = SchemeFactory(kind=Scheme.Kind.CLSM, commune_codes=["93010"])
    asv_93 = SchemeFactory(kind=Scheme.Kind.ASV, commune_codes=["93001"])
    cls_95 = SchemeFactory(
        commune_codes=["95585"], department=commune("95585").department, ends_on=D(2023, 9, 30)
    )
    posts = {
        "P1": PostFactory(schemes=[cls_93], opened_on=D(2020, 1, 1)),
        "P2": PostFactory(schemes=[clsm_93], opened_on=D(2021, 1, 1)),
        "P3": PostFactory(schemes=[asv_93], opened_on=D(2022, 1, 1), status_unknown=True),
        "P4": PostFactory(schemes=[cls_95], opened_on=D(2019, 1, 1)),
    }
    TenureFactory(
        person=people["Alice"],
        post=posts["P1"],
        started_on=D(2020, 1, 1),
        ended_on=D(2022, 7, 1),
        end_reason="left",
    )
    TenureFactory(person=people["Bob"], post=posts["P1"], started_on=D(2022, 10, 1))
    TenureFactory(
        person=people["Carla"],
        post=posts["P2"],
        started_on=D(2021, 3, 1),
        ended_on=D(2023, 3, 1),
        end_reason="contract_end",
    )
    TenureFactory(person=people["Dan"], post=posts["P4"], started_on=D(2019, 1, 1))
    return {"people": people, "posts": posts, "schemes": [cls_93, clsm_93, asv_93, cls_95]}


PERIOD = (D(2022, 1, 1), D(2023, 6, 30))


def test_turnover_in_seine_saint_denis_matches_hand_computed_values(register):
    figures = selectors.turnover_figures(*PERIOD, department_code="93")
    assert figures == {
        "arrivals": 1,  # Bob
        "newcomers": 1,  # Bob's first post
        "departures": 2,  # Alice, Carla
        "average_tenure_days": 821,  # (912 + 730) / 2
        "posts": 3,
        "filled": 1,
        "vacant": 1,
        "unknown": 1,
        "average_vacancy_days": 121,  # P2: 2023-03-01 → 2023-06-30
        "longest_vacancy_days": 121,
    }


def test_turnover_for_the_region(register):
    figures = selectors.turnover_figures(*PERIOD)
    assert (figures["posts"], figures["filled"], figures["arrivals"]) == (4, 2, 1)


def test_a_dd93_partner_gets_the_figures_of_its_territory(register, dd93, ars_hq):
    assert selectors.turnover_figures(*PERIOD, access=access_for(dd93)) == (
        selectors.turnover_figures(*PERIOD, department_code="93")
    )
    assert selectors.turnover_figures(*PERIOD, access=access_for(ars_hq))["posts"] == 4


def test_vacancy_between_two_tenures(register):
    p1 = register["posts"]["P1"]
    post = selectors.posts_at(D(2022, 8, 15)).get(pk=p1.pk)
    assert post.status_at == selectors.POST_VACANT
    assert post.vacant_since == D(2022, 7, 1)
    assert selectors.vacancy_days(post, D(2022, 8, 15)) == 45
    assert selectors.posts_at(D(2022, 10, 1)).get(pk=p1.pk).status_at == selectors.POST_FILLED
    # Before it opened, a post does not exist.
    assert not selectors.posts_at(D(2019, 12, 31)).filter(pk=p1.pk).exists()


def test_posts_vacant_and_unknown_at_a_date(register):
    on = D(2023, 6, 30)
    assert list(selectors.posts_vacant_at(on)) == [register["posts"]["P2"]]
    assert list(selectors.posts_unknown_at(on)) == [register["posts"]["P3"]]
    # "Unknown" is today's knowledge: a past date is read from tenures alone.
    past = D(2022, 12, 31)
    assert set(selectors.posts_vacant_at(past)) == {register["posts"]["P3"]}
    assert not selectors.posts_unknown_at(past).exists()


def test_a_move_between_posts_is_an_arrival_but_not_a_newcomer(register):
    dan = register["people"]["Dan"]
    p4 = register["posts"]["P4"]
    post_departure(tenure=Tenure.objects.get(post=p4), ended_on=D(2023, 1, 31), reason="other_post")
    post_arrival(post=register["posts"]["P2"], person=dan, started_on=D(2023, 4, 1))
    period = (D(2023, 1, 1), D(2023, 6, 30))
    assert selectors.arrivals(*period).count() == 1
    assert selectors.newcomers(*period).count() == 0


def test_seniority_tenure_length_and_newcomers(register):
    people = register["people"]
    on = D(2023, 6, 30)
    assert selectors.person_seniority_days(people["Bob"], on) == 272
    assert selectors.person_seniority_days(people["Dan"], on) == 1641
    assert selectors.person_seniority_days(people["Bob"], D(2021, 1, 1)) is None
    assert selectors.person_is_newcomer(people["Bob"], on)
    assert not selectors.person_is_newcomer(people["Dan"], on)
    alice = Tenure.objects.get(person=people["Alice"])
    assert selectors.tenure_days(alice) == 912
    bob = Tenure.objects.get(person=people["Bob"])
    assert selectors.tenure_days(bob, on) == 272


def test_arrivals_and_departures_over_a_period(register):
    assert list(
        selectors.arrivals(D(2019, 1, 1), D(2019, 12, 31)).values_list(
            "person__first_name", flat=True
        )
    ) == ["Dan"]
    assert selectors.departures(*PERIOD).count() == 2
    assert selectors.departures(*PERIOD, department_code="95").count() == 0


def test_schemes_due_for_renewal(register):
    today = D(2023, 6, 30)
    due_12 = selectors.schemes_due_for_renewal(12, today)
    assert {s.pk for s in due_12} == {register["schemes"][0].pk, register["schemes"][3].pk}
    due_6 = selectors.schemes_due_for_renewal(6, today)
    assert {s.pk for s in due_6} == {register["schemes"][3].pk}
    register["schemes"][3].status = Scheme.Status.ENDED
    register["schemes"][3].save()
    assert not selectors.schemes_due_for_renewal(6, today).exists()


def test_add_months_keeps_the_end_of_month():
    assert selectors.add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert selectors.add_months(D(2023, 11, 15), 3) == D(2024, 2, 15)


# --- Writes -------------------------------------------------------------------------------


def test_arrival_closes_the_open_tenure_and_keeps_the_handover_file(
    register, mailoutbox, django_capture_on_commit_callbacks
):
    p1 = register["posts"]["P1"]
    newcomer = UserFactory(first_name="Eve")
    with django_capture_on_commit_callbacks(execute=True):
        tenure = post_arrival(post=p1, person=newcomer, started_on=D(2024, 1, 15))
    bob = Tenure.objects.get(person=register["people"]["Bob"])
    assert bob.ended_on == D(2024, 1, 15)
    assert tenure.ended_on is None
    assert selectors.person_is_newcomer(newcomer, D(2024, 2, 1))
    assert newcomer.coordinator_profile.status == "approved"
    assert HandoverFile.objects.filter(post=p1).exists()
    assert [m.to for m in mailoutbox] == [[register["people"]["Bob"].email]]


def test_departure_makes_the_post_vacant_from_that_day(
    register, mailoutbox, django_capture_on_commit_callbacks
):
    p4 = register["posts"]["P4"]
    dan = Tenure.objects.get(post=p4)
    with django_capture_on_commit_callbacks(execute=True):
        post_departure(tenure=dan, ended_on=D(2024, 5, 31), reason="retirement")
    post = selectors.posts_at(D(2024, 6, 10)).get(pk=p4.pk)
    assert post.status_at == selectors.POST_VACANT
    assert post.vacant_since == D(2024, 5, 31)
    assert p4.handover.completion_requested_on == D(2024, 5, 31)
    assert "dossier de passation" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("ended_on", "message"),
    [(D(2018, 12, 31), "précède la date de prise de poste")],
)
def test_departure_before_arrival_is_refused(register, ended_on, message):
    dan = Tenure.objects.get(post=register["posts"]["P4"])
    with pytest.raises(RegisterError, match=message):
        post_departure(tenure=dan, ended_on=ended_on, reason="left")
    dan.refresh_from_db()
    assert dan.ended_on is None


def test_departure_recorded_twice_is_refused(register):
    alice = Tenure.objects.get(person=register["people"]["Alice"])
    with pytest.raises(RegisterError, match="déjà enregistré"):
        post_departure(tenure=alice, ended_on=D(2023, 1, 1), reason="left")


def test_no_arrival_on_a_post_of_an_ended_scheme(register):
    p2 = register["posts"]["P2"]
    scheme = p2.schemes.get()
    scheme.status = Scheme.Status.ENDED
    scheme.ends_on = D(2023, 6, 1)
    scheme.save()
    with pytest.raises(RegisterError, match="est terminé"):
        post_arrival(post=p2, person=UserFactory(), started_on=D(2023, 9, 1))
    assert p2.tenures.count() == 1
    # History before its end is still recorded.
    post_arrival(post=p2, person=UserFactory(), started_on=D(2023, 4, 1))


def test_no_arrival_before_the_person_in_post(register):
    with pytest.raises(RegisterError, match="doit être postérieure"):
        post_arrival(post=register["posts"]["P1"], person=UserFactory(), started_on=D(2022, 9, 1))


def test_no_arrival_overlapping_a_past_tenure(register):
    # P2 was held by Carla until 2023-03-01: an arrival in 2022 overlaps her.
    with pytest.raises(RegisterError, match="chevauchent"):
        post_arrival(post=register["posts"]["P2"], person=UserFactory(), started_on=D(2022, 5, 1))


def test_two_open_tenures_on_one_post_are_refused(register):
    alice = Tenure.objects.get(person=register["people"]["Alice"])
    with pytest.raises(RegisterError, match="déjà une personne en poste"):
        tenure_update(tenure=alice, started_on=alice.started_on, ended_on=None, end_reason="")


def test_tenure_correction_cannot_overlap(register):
    alice = Tenure.objects.get(person=register["people"]["Alice"])
    with pytest.raises(RegisterError, match="chevauchent"):
        tenure_update(
            tenure=alice, started_on=alice.started_on, ended_on=D(2022, 12, 1), end_reason="left"
        )
    tenure_update(
        tenure=alice, started_on=D(2020, 2, 1), ended_on=D(2022, 9, 30), end_reason="left"
    )
    alice.refresh_from_db()
    assert (alice.started_on, alice.ended_on) == (D(2020, 2, 1), D(2022, 9, 30))


def test_a_scheme_lies_in_one_department(db):
    scheme = Scheme(kind="CLS", name="CLS à cheval", carrier_name="X", carrier_kind="other")
    with pytest.raises(RegisterError, match="même département"):
        scheme_save(scheme=scheme, communes=[commune("93066"), commune("95585")])
    scheme_save(scheme=scheme, communes=[commune("93066"), commune("93001")])
    assert scheme.department.code == "93"


def test_the_database_refuses_two_open_tenures_even_without_the_service(register):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Tenure.objects.create(
            post=register["posts"]["P1"], person=UserFactory(), started_on=D(2023, 1, 1)
        )


def test_a_scheme_with_a_held_post_cannot_end(register):
    scheme = register["schemes"][0]  # P1, held by Bob
    scheme.status = Scheme.Status.ENDED
    with pytest.raises(RegisterError, match="encore occupé"):
        scheme_save(scheme=scheme, communes=list(scheme.communes.all()))


def test_post_dates_must_contain_its_tenures(register):
    from coordinators.services import post_save

    p1 = register["posts"]["P1"]
    p1.opened_on = D(2021, 1, 1)  # Alice started in 2020
    with pytest.raises(RegisterError, match="avant cette date d'ouverture"):
        post_save(post=p1, schemes=list(p1.schemes.all()))
    p1.opened_on = D(2020, 1, 1)
    p1.closed_on = D(2023, 1, 1)  # Bob still holds it
    with pytest.raises(RegisterError, match="occupé après cette date"):
        post_save(post=p1, schemes=list(p1.schemes.all()))


def test_an_arrival_ends_the_request_to_complete_the_handover_file(register):
    p4 = register["posts"]["P4"]
    post_departure(tenure=Tenure.objects.get(post=p4), ended_on=D(2023, 5, 1), reason="left")
    assert HandoverFile.objects.get(post=p4).completion_requested_on == D(2023, 5, 1)
    post_arrival(post=p4, person=UserFactory(), started_on=D(2023, 6, 1))
    assert HandoverFile.objects.get(post=p4).completion_requested_on is None
