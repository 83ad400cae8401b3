"""The demo makes every dashboard indicator non-trivial for ARS DD 93, CRPV 95 and the ARS head
office (demo/dashboards.py), this year and in the two years of the trend; seeding again changes
no figure."""

import pytest
from django.utils import timezone

from accounts.access import access_for
from accounts.models import User
from dashboards.filters import Period, scope_for
from dashboards.indicators import learning, needs, network, participation, register
from demo.dashboards import UNCOVERED, seed_dashboards
from demo.seed import seed_demo


@pytest.fixture(scope="module")
def seeded(demo_seeded, django_db_blocker):
    """The demo with its years before, once for the module, and the figures `seed_demo` and
    `seed_dashboards` print (`seed_demo` calls it; calling it again changes nothing)."""
    with django_db_blocker.unblock():
        return {**demo_seeded, **seed_dashboards()}


PARTNERS = ["dd93@demo.example.org", "crpv95@demo.example.org", "ars@demo.example.org"]


def figures(period, scope) -> dict:
    """The main figure of each indicator (and a few more) for `scope`, over `period`."""
    year = period.end.year
    f = {}
    schemes = register.schemes_by_kind_and_status(period, scope).total
    f["schemes"] = sum(n for statuses in schemes.values() for n in statuses.values())
    f["schemes_due"] = register.schemes_due(period, scope).total["due"]
    posts = register.posts_status(period, scope).total
    f["posts_filled"], f["posts_vacant"] = posts["filled"], posts["vacant"]
    vacancies = register.vacancy_lengths(period, scope).total
    f["vacancy_longest_days"] = vacancies["longest_days"]
    turnover = register.arrivals_and_departures(period, scope).total[year]
    f["arrivals"], f["departures"] = turnover["arrivals"], turnover["departures"]
    f["tenure_median_days"] = register.median_tenure(period, scope).total["median_days"]
    f["seniority"] = sum(register.seniority_bands(period, scope).total.values())

    enrolments = learning.enrolments(period, scope).total
    f["enrolments_new"], f["enrolments_left"] = enrolments["new"], enrolments["left"]
    f["steps_done"] = learning.steps_done(period, scope).total["steps"]
    completion = learning.completion(period, scope)
    f["pathways_completed"] = sum(c.figures.total["completed"] for c in completion)
    f["median_days_to_complete_over"] = learning.median_time_to_complete(period, scope).count
    progression = learning.assessment_progression(period, scope)
    # Groups of 5 or more show their levels: at least one competency has one.
    f["assessment_groups_shown"] = sum(p.total["first"] is not None for p in progression)
    f["assessment_improved"] = sum(p.total["improved"] or 0 for p in progression)

    tutoring = network.tutoring(period, scope).total
    f["tutoring_active"], f["tutoring_started"] = tutoring["active"], tutoring["started"]
    f["newcomers_without_tutor"] = network.newcomers_without_tutor(period, scope).total["newcomers"]
    questions = network.questions(period, scope).total
    f["questions_asked"], f["questions_answered"] = questions["asked"], questions["answered"]
    f["questions_useful"] = questions["useful"]
    f["notes_published"] = network.notes_published(period, scope).total["published"]
    f["boussole_requests"] = network.resource_requests(period, scope).total["total"]

    expressed = needs.needs(period, scope)
    f["needs_written"] = expressed.levels.total["any"]
    f["needs_competencies"] = sum(split.total["people"] for _c, split in expressed.competencies)
    f["needs_topics"] = sum(split.total["people"] for _t, split in expressed.topics)
    f["needs_without_offer"] = sum(
        len(row.without_offer) for row in needs.needs_against_offer(period, scope)
    )

    events = participation.events_by_kind_and_provider(period, scope).total
    f["events"], f["events_departmental"] = events["events"], events["by_provider"]["departmental"]
    attendance = participation.registrations_and_attendance(period, scope).total
    f["registrations"], f["present"] = attendance["registrations"], attendance["present"]
    f["no_shows"] = attendance["no_shows"]
    f["reached"] = participation.reach(period, scope).total["reached"]
    welcome = participation.welcome_days(period, scope).total
    f["newcomers"], f["welcomed"] = welcome["newcomers"], welcome["welcomed"]
    trend = participation.participation_trend(period, scope)
    f["trend_years_with_presence"] = sum(1 for y in trend.values() if y["present"])
    return f


# What the register cannot give for a past year: it keeps no history of schemes' statuses and
# end dates (a contract renewed since shows its new end), so no scheme was "due" in a year
# whose renewals are all signed. La boussole's 35 requests are those of the field, this year's.
NOT_IN_THE_PAST = {"schemes_due", "boussole_requests"}


def partner_scopes():
    return {email: scope_for(access_for(User.objects.get(email=email))) for email in PARTNERS}


@pytest.mark.django_db
def test_every_indicator_has_figures_this_year_for_each_partner(seeded):
    year = timezone.localdate().year
    for email, scope in partner_scopes().items():
        seen = figures(Period.year(year), scope)
        assert [name for name, value in seen.items() if not value] == [], email


@pytest.mark.django_db
@pytest.mark.parametrize("back", [1, 2])
def test_the_two_years_before_have_figures_too(seeded, back):
    year = timezone.localdate().year - back
    for email, scope in partner_scopes().items():
        seen = figures(Period.year(year), scope)
        zero = [name for name, value in seen.items() if not value]
        assert [name for name in zero if name not in NOT_IN_THE_PAST] == [], (email, year)


@pytest.mark.django_db
def test_partners_see_their_own_territory_only(seeded):
    """DD 93 and CRPV 95 count their département: the ARS head office counts more."""
    year = timezone.localdate().year
    scopes = partner_scopes()
    region = figures(Period.year(year), scopes["ars@demo.example.org"])
    for email in PARTNERS[:2]:
        partner = figures(Period.year(year), scopes[email])
        assert partner["registrations"] < region["registrations"], email
        assert partner["enrolments_new"] < region["enrolments_new"], email


@pytest.mark.django_db
def test_a_competency_people_need_in_93_has_no_offer(seeded):
    year = timezone.localdate().year
    scope = partner_scopes()["dd93@demo.example.org"]
    rows = needs.needs_against_offer(Period.year(year), scope)
    uncovered = [row for row in rows if row.without_offer == ["93"]]
    assert [row.competency.name for row in uncovered] == [UNCOVERED["name"]]
    assert uncovered[0].departments["93"].needs >= 5
    assert uncovered[0].departments["93"].offers == []


@pytest.mark.django_db
def test_seeding_twice_gives_the_same_figures(seeded):
    years = [timezone.localdate().year - back for back in (2, 1, 0)]
    before = {
        (email, year): figures(Period.year(year), scope)
        for email, scope in partner_scopes().items()
        for year in years
    }
    again = seed_dashboards()
    assert again == {name: seeded[name] for name in again}
    seed_demo()  # the whole demo seeded again, then its years before
    assert seed_dashboards() == again
    after = {
        (email, year): figures(Period.year(year), scope)
        for email, scope in partner_scopes().items()
        for year in years
    }
    assert after == before
