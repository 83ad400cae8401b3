"""Participation indicators against a small world whose figures are written by hand."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.access import Access, Role
from accounts.models import Organisation
from agenda.models import Event, Registration
from dashboards.filters import Period, scope_for
from dashboards.indicators.participation import (
    events_by_kind_and_provider,
    participation_indicators,
    participation_trend,
    reach,
    registrations_and_attendance,
    welcome_days,
)
from territories.models import Department
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    promosante_organisation,
)

pytestmark = pytest.mark.django_db

STAFF = Access(Role.STAFF, department_codes=None)
DD93 = Access(Role.PARTNER, department_codes=frozenset({"93"}))
CRPV95 = Access(Role.PARTNER, department_codes=frozenset({"95", "78"}))
IDF = ("75", "77", "78", "91", "92", "93", "94", "95")
ARS = Access(Role.PARTNER, department_codes=frozenset(IDF))  # the head office: every département
PERIOD = Period.year(2026)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 12:00 +0100", tick=False):
        yield


def on(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def coordinator(code, kind, started_on, ended_on=None):
    scheme = SchemeFactory(kind=kind, department=Department.objects.get(code=code))
    tenure = TenureFactory(
        post=PostFactory(schemes=[scheme]), started_on=started_on, ended_on=ended_on
    )
    return tenure.person


def register(event, person, status="confirmed", attended=None, excused=False, **guest):
    return Registration.objects.create(
        event=event, person=person, status=status, attended=attended, excused=excused, **guest
    )


@pytest.fixture
def world():
    """Coordinators A, B, F (93), C, D (95), E (75), a guest, and seven events of which five
    count (see each line)."""
    promosante = promosante_organisation()
    crpv = OrganisationFactory(kind=Organisation.Kind.CRPV, department_codes=["95"])
    dd93 = OrganisationFactory(kind=Organisation.Kind.ARS_DD, department_codes=["93"])
    a = coordinator("93", "CLS", date(2016, 1, 1))
    b = coordinator("93", "ASV", date(2020, 1, 1))
    f = coordinator("93", "CLS", date(2019, 1, 1))
    c = coordinator("95", "CLSM", date(2026, 2, 1))  # newcomer
    d = coordinator("95", "CLSM", date(2018, 1, 1), ended_on=date(2026, 6, 30))  # left
    e = coordinator("75", "CLS", date(2026, 3, 1))  # newcomer

    # E1: a regional welcome day; A, C, the guest present, D absent (no-show), B waitlisted.
    e1 = EventFactory(
        kind="regional_day", starts_at=on(date(2026, 3, 10)), organiser=promosante,
        is_welcome_day=True,
    )  # fmt: skip
    register(e1, a, attended=True)
    register(e1, c, attended=True)  # 37 days after C's arrival: welcomed
    register(e1, d, attended=False)
    register(e1, None, attended=True, first_name="Élue", last_name="Invitée", email="e@ex.fr")
    register(e1, b, status="waitlisted")
    # E2: a CRPV webinar, attendance not recorded: C, D, E.
    e2 = EventFactory(kind="webinar", starts_at=on(date(2026, 5, 5)), organiser=crpv)
    for person in (c, d, e):
        register(e2, person)
    # E3: an ARS DD 93 workshop; A absent but excused, B present.
    e3 = EventFactory(kind="departmental", starts_at=on(date(2026, 9, 15)), organiser=dd93)
    register(e3, a, attended=False, excused=True)
    register(e3, b, attended=True)
    # E4 cancelled and E5 a tutoring session: neither counts (F's presence at E5 either).
    e4 = EventFactory(starts_at=on(date(2026, 4, 1)), status=Event.Status.CANCELLED)
    register(e4, a, attended=True)
    e5 = EventFactory(kind="tutoring", starts_at=on(date(2026, 4, 2)))
    register(e5, f, attended=True)
    # E6: a welcome day 228 days after E's arrival (more than 6 months): E present.
    e6 = EventFactory(
        kind="regional_day", starts_at=on(date(2026, 10, 15)), organiser=promosante,
        is_welcome_day=True,
    )  # fmt: skip
    register(e6, e, attended=True)
    # E7: a webinar nobody registered to; E8 in 2025: out of the period.
    EventFactory(kind="webinar", starts_at=on(date(2026, 6, 1)))
    e8 = EventFactory(kind="webinar", starts_at=on(date(2025, 12, 10)))
    register(e8, a, attended=True)


def test_events_by_kind_and_provider(world):
    result = events_by_kind_and_provider(PERIOD, scope_for(STAFF))
    # 93: E1 (A) and E3 (A, B); B's waitlisted seat at E1 is not a participation.
    assert result.rows["93"]["events"] == 2
    assert result.rows["93"]["by_kind"]["regional_day"] == 1
    assert result.rows["93"]["by_kind"]["departmental"] == 1
    assert result.rows["93"]["by_provider"] == {"regional": 1, "departmental": 1}
    # 95: E1 (C, D) and E2 (CRPV, departmental); 75: E2 and E6.
    assert result.rows["95"]["by_kind"]["webinar"] == 1
    assert result.rows["95"]["by_provider"] == {"regional": 1, "departmental": 1}
    assert result.rows["75"]["by_provider"] == {"regional": 1, "departmental": 1}
    assert result.rows["77"]["events"] == 0
    # The region: E1, E2, E3, E6, E7 (none registered); E4 cancelled, E5 tutoring, E8 in 2025.
    assert result.total["events"] == 5
    assert result.total["by_kind"] == {
        "regional_day": 2, "webinar": 2, "site_visit": 0, "working_group": 0,
        "elected_meeting": 0, "departmental": 1,
    }  # fmt: skip
    assert result.total["by_provider"] == {"regional": 3, "departmental": 2}
    # E1, E6 (PromoSanté), E7 (PromoSanté) regional; E2 (CRPV), E3 (DD 93) departmental.
    crossing = result.total["by_kind_and_provider"]
    assert crossing["regional_day"] == {"regional": 2, "departmental": 0}
    assert crossing["webinar"] == {"regional": 1, "departmental": 1}
    assert crossing["departmental"] == {"regional": 0, "departmental": 1}
    assert result.rows["93"]["by_kind_and_provider"]["departmental"]["departmental"] == 1


def test_registrations_attendance_rate_and_no_shows(world):
    result = registrations_and_attendance(PERIOD, scope_for(STAFF))
    # 93: A@E1, A@E3, B@E3 seated; E1 and E3 recorded; present A@E1, B@E3; A excused at E3.
    assert result.rows["93"] == {
        "registrations": 3, "recorded_events": 2, "registered_recorded": 3, "present": 2,
        "no_shows": 0, "attendance_rate": 67,
    }  # fmt: skip
    # 95: C and D at E1 and E2; only E1 recorded: C present, D a no-show (D was in post then).
    assert result.rows["95"] == {
        "registrations": 4, "recorded_events": 1, "registered_recorded": 2, "present": 1,
        "no_shows": 1, "attendance_rate": 50,
    }  # fmt: skip
    # 75: E at E2 (not recorded) and E6 (present).
    assert result.rows["75"]["attendance_rate"] == 100
    assert result.rows["78"]["attendance_rate"] is None
    # Region, guests included: E1 4 seats (A, C, D, guest), E2 3, E3 2, E6 1 = 10; recorded
    # E1, E3, E6: 7 seats, 5 present (A, C, guest, B, E), 1 no-show (D): 5/7 = 71 %.
    assert result.total == {
        "registrations": 10, "recorded_events": 3, "registered_recorded": 7, "present": 5,
        "no_shows": 1, "attendance_rate": 71,
    }  # fmt: skip


def test_reach_of_coordinators_in_post(world):
    result = reach(PERIOD, scope_for(STAFF))
    # In post on 2026-12-31: A, B, F (93), C (95), E (75); D left in June. Present at an event
    # of the period: A (E1), B (E3), C (E1), E (E6); F only at a tutoring session.
    assert result.rows["93"] == {"in_post": 3, "reached": 2, "share": 67}
    assert result.rows["95"] == {"in_post": 1, "reached": 1, "share": 100}
    assert result.rows["77"] == {"in_post": 0, "reached": 0, "share": None}
    assert result.total == {"in_post": 5, "reached": 4, "share": 80}


def test_newcomers_at_a_welcome_day_within_6_months(world):
    result = welcome_days(PERIOD, scope_for(STAFF))
    # Newcomers of 2026: C (95, present at E1 37 days after arriving), E (75, at E6 after 228
    # days: too late).
    assert result.rows["95"] == {"newcomers": 1, "welcomed": 1}
    assert result.rows["75"] == {"newcomers": 1, "welcomed": 0}
    assert result.rows["93"] == {"newcomers": 0, "welcomed": 0}
    assert result.total == {"newcomers": 2, "welcomed": 1}


def test_a_partner_s_figures_stay_inside_its_departements(world):
    figures = participation_indicators(PERIOD, scope_for(DD93, department_codes=["95"]))
    for breakdown in figures.values():
        assert list(breakdown.rows) == ["93"]
    # E1 and E3 only: E7 has no participant, the others none from 93.
    assert figures["events"].total["events"] == 2
    assert figures["events"].total["by_provider"] == {"regional": 1, "departmental": 1}
    # The guest, C and D are not 93's: 93's own registrations only.
    assert figures["attendance"].total == figures["attendance"].rows["93"]
    assert figures["reach"].total == {"in_post": 3, "reached": 2, "share": 67}
    assert figures["welcome_days"].total == {"newcomers": 0, "welcomed": 0}

    crpv = participation_indicators(PERIOD, scope_for(CRPV95))
    assert list(crpv["events"].rows) == ["78", "95"]
    assert crpv["events"].total["events"] == 2  # E1, E2
    assert crpv["attendance"].total["registrations"] == 4


def test_the_scheme_type_filter(world):
    figures = participation_indicators(PERIOD, scope_for(STAFF, scheme_kind="CLSM"))
    # CLSM coordinators: C and D (95).
    assert figures["events"].total["events"] == 2  # E1, E2
    assert figures["attendance"].total["registrations"] == 4
    assert figures["reach"].total == {"in_post": 1, "reached": 1, "share": 100}
    assert figures["welcome_days"].total == {"newcomers": 1, "welcomed": 1}


def bulk_participation(count):
    """`count` events of 2026 with registrations of a few coordinators of 93 and 95."""
    people = [coordinator(("93", "95")[i % 2], "CLS", date(2026, 1 + i, 1)) for i in range(4)]
    organisers = [promosante_organisation(), OrganisationFactory(kind=Organisation.Kind.CRPV)]
    events = Event.objects.bulk_create(
        Event(
            kind=("webinar", "regional_day", "departmental")[i % 3],
            title=f"Événement {i}",
            starts_at=on(date(2026, 1, 1) + timedelta(days=i % 360)),
            ends_at=on(date(2026, 1, 1) + timedelta(days=i % 360), hour=12),
            organiser=organisers[i % 2],
            is_welcome_day=i % 5 == 0,
        )
        for i in range(count)
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            person=person,
            status="confirmed",
            attended=(None, True, False)[(i + j) % 3],
        )
        for i, event in enumerate(events)
        for j, person in enumerate(people)
    )


@pytest.mark.parametrize("access", [STAFF, DD93], ids=["region", "dd93"])
@pytest.mark.parametrize("kind", [None, "CLS"])
def test_the_queries_are_constant(access, kind):
    scope = scope_for(access, scheme_kind=kind)

    def queries():
        with CaptureQueriesContext(connection) as context:
            participation_indicators(PERIOD, scope)
            participation_trend(PERIOD, scope)
        return len(context)

    bulk_participation(5)
    small = queries()
    bulk_participation(200)
    assert queries() == small
    assert registrations_and_attendance(PERIOD, scope).total["registrations"] >= 100


def test_a_registration_counts_where_its_person_worked_on_the_event_s_day():
    # G worked in 93 until 2026-04-30, then in 95: the March event is 93's, the May one 95's.
    g = coordinator("93", "CLS", date(2024, 1, 1), ended_on=date(2026, 4, 30))
    post_95 = PostFactory(schemes=[SchemeFactory(department=Department.objects.get(code="95"))])
    TenureFactory(person=g, post=post_95, started_on=date(2026, 5, 1))
    march = EventFactory(starts_at=on(date(2026, 3, 10)))
    may = EventFactory(starts_at=on(date(2026, 5, 5)))
    register(march, g, attended=True)
    register(may, g, attended=False)
    events = events_by_kind_and_provider(PERIOD, scope_for(STAFF))
    assert events.rows["93"]["events"] == 1 and events.rows["95"]["events"] == 1
    attendance = registrations_and_attendance(PERIOD, scope_for(STAFF))
    assert (attendance.rows["93"]["present"], attendance.rows["93"]["no_shows"]) == (1, 0)
    assert (attendance.rows["95"]["present"], attendance.rows["95"]["no_shows"]) == (0, 1)
    # In post on 2026-12-31 in 95, and present at an event of the period (in 93): reached.
    assert reach(PERIOD, scope_for(STAFF)).rows["95"] == {"in_post": 1, "reached": 1, "share": 100}


def test_six_months_is_183_days_from_the_arrival():
    # H arrived on 2026-02-01: a welcome day on 2026-08-03 (day 183) counts, 2026-08-04 not;
    # I, arrived the same day, went to one before arriving: not after the arrival, not counted.
    h = coordinator("93", "CLS", date(2026, 2, 1))
    i = coordinator("93", "CLS", date(2026, 2, 1))
    j = coordinator("93", "CLS", date(2026, 2, 1))
    for person, day in ((h, date(2026, 8, 3)), (i, date(2026, 1, 20)), (j, date(2026, 8, 4))):
        welcome = EventFactory(kind="regional_day", starts_at=on(day), is_welcome_day=True)
        register(welcome, person, attended=True)
    assert date(2026, 2, 1) + timedelta(days=183) == date(2026, 8, 3)
    result = welcome_days(PERIOD, scope_for(STAFF))
    assert result.rows["93"] == {"newcomers": 3, "welcomed": 1}


def test_the_trend_over_three_years(world):
    trend = participation_trend(PERIOD, scope_for(STAFF))
    assert list(trend) == [2024, 2025, 2026]
    # 2024: A, B, F (93) and D (95) in post on 2024-12-31, no event.
    assert trend[2024] == {
        "registrations": 0, "present": 0, "in_post": 4, "reached": 0, "share": 0,
    }  # fmt: skip
    # 2025: E8 (A present); the same four in post on 2025-12-31, A reached.
    assert trend[2025] == {
        "registrations": 1, "present": 1, "in_post": 4, "reached": 1, "share": 25,
    }  # fmt: skip
    # 2026: as the year's figures (guests included in the region's registrations).
    assert trend[2026] == {
        "registrations": 10, "present": 5, "in_post": 5, "reached": 4, "share": 80,
    }  # fmt: skip


def test_the_trend_of_a_partner_and_its_last_year_up_to_the_period_s_end(world):
    trend = participation_trend(PERIOD, scope_for(DD93, department_codes=["75"]))
    # 93 only: A@E8 in 2025; A@E1, A@E3, B@E3 in 2026 (the guest, C, D, E elsewhere).
    assert trend[2025] == {
        "registrations": 1, "present": 1, "in_post": 3, "reached": 1, "share": 33,
    }  # fmt: skip
    assert trend[2026] == {
        "registrations": 3, "present": 2, "in_post": 3, "reached": 2, "share": 67,
    }  # fmt: skip
    # A first half-year: E1 and E2 only (E3 and E6 come later); in post on 30 June: A, B, F,
    # C, E (D left that day); present by then: A and C.
    half = participation_trend(
        Period.between(date(2026, 1, 1), date(2026, 6, 30)), scope_for(STAFF)
    )
    assert half[2026] == {
        "registrations": 7, "present": 3, "in_post": 5, "reached": 2, "share": 40,
    }  # fmt: skip
    clsm = participation_trend(PERIOD, scope_for(STAFF, scheme_kind="CLSM"))
    # CLSM: D in post in 2025 without an event; C and D in 2026 (E1, E2: 4 seats, C present).
    assert clsm[2025] == {
        "registrations": 0, "present": 0, "in_post": 1, "reached": 0, "share": 0,
    }  # fmt: skip
    assert clsm[2026]["registrations"] == 4 and clsm[2026]["present"] == 1


def _subquery_depth(sql):
    """How deep SELECTs nest in `sql` (0: no subquery; 1: subqueries in the main query)."""
    depth, opened, deepest = 0, [], 0
    upper = sql.upper()
    i = 0
    while i < len(upper):
        char = upper[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            while opened and opened[-1] > depth:
                opened.pop()
        elif upper.startswith("SELECT", i):
            deepest = max(deepest, len(opened))
            opened.append(depth)
            i += len("SELECT")
            continue
        i += 1
    return deepest


def test_subquery_depth_reads_nesting():
    assert _subquery_depth("SELECT a FROM t") == 0
    assert _subquery_depth("SELECT (SELECT 1), EXISTS(SELECT 1) FROM t") == 1
    assert (
        _subquery_depth("SELECT a FROM t WHERE b IN (SELECT c FROM u WHERE d IN (SELECT 1))") == 2
    )


@pytest.mark.parametrize("access", [STAFF, DD93], ids=["region", "dd93"])
@pytest.mark.parametrize("kind", [None, "CLS"])
def test_no_query_nests_a_subquery_in_a_subquery(world, access, kind):
    # PostgreSQL planned registrations nested three deep (events in registrations in
    # registrations) for 15 minutes at 205 events: every query stays flat.
    scope = scope_for(access, scheme_kind=kind)
    with CaptureQueriesContext(connection) as context:
        participation_indicators(PERIOD, scope)
        participation_trend(PERIOD, scope)
    depths = {query["sql"]: _subquery_depth(query["sql"]) for query in context.captured_queries}
    assert max(depths.values()) <= 1, [sql for sql, depth in depths.items() if depth > 1]


def test_the_period_s_days_are_paris_days():
    # 00:30 on 1 January and 23:30 on 31 December, Paris time (the UTC day differs): in 2026;
    # 00:30 on 1 January 2027: not.
    k = coordinator("93", "CLS", date(2020, 1, 1))
    for moment in ("2026-01-01 00:30", "2026-12-31 23:30", "2027-01-01 00:30"):
        starts = timezone.make_aware(datetime.fromisoformat(moment))
        register(EventFactory(starts_at=starts), k, attended=True)
    result = registrations_and_attendance(PERIOD, scope_for(STAFF))
    assert result.total["registrations"] == 2
    assert events_by_kind_and_provider(PERIOD, scope_for(STAFF)).total["events"] == 2
    assert participation_trend(PERIOD, scope_for(STAFF))[2026]["registrations"] == 2


def test_a_territory_of_every_departement_counts_as_the_region(world):
    # The ARS head office's organisation covers the eight départements: its totals are the
    # region's (guests and events without registrations included), as the staff's are.
    for name in ("events", "attendance", "reach", "welcome_days"):
        ars = participation_indicators(PERIOD, scope_for(ARS))[name]
        staff = participation_indicators(PERIOD, scope_for(STAFF))[name]
        assert (ars.total, ars.rows) == (staff.total, staff.rows), name
    assert participation_trend(PERIOD, scope_for(ARS)) == participation_trend(
        PERIOD, scope_for(STAFF)
    )
    # Seven of them are a part of the region: the guest and E7 (nobody registered) leave.
    part = participation_indicators(PERIOD, scope_for(ARS, department_codes=IDF[1:]))
    assert part["events"].total["events"] == 3  # E1, E2, E3 (93, 95), not E6 (75) nor E7
    assert part["attendance"].total["registrations"] == 7  # 93's 3, 95's 4
