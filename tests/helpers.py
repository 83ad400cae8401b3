"""Helpers shared by the tests: one way to log in, one way to count a page's queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def login(client, user):
    """Log `user` in on the test client; None stays anonymous."""
    if user is not None:
        client.force_login(user)


def count_queries(client, url, data=None, *, method="get"):
    """The number of SQL queries of one request, which must answer 200 with no unknown template
    variable. Tests compare it at two data sizes: a page's queries never grow with the data."""
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    assert b"!!UNKNOWN" not in response.content, url
    return len(context)


def profile_form_data(coordinator, **fields):
    """What the profile page posts for `coordinator`, its required fields filled, with `fields`
    (profile fields by name) on top."""
    profile = coordinator.coordinator_profile
    return {
        "user-first_name": coordinator.first_name,
        "user-last_name": coordinator.last_name,
        "profile-commune": profile.commune.pk,
        "profile-employer": "Ville",
        "profile-job_title": "Coordinatrice",
        "profile-accepts_messages": "on",
        "profile-tutoring_capacity": 0,
        "profile-question_alerts": "digest",
        **{f"profile-{name}": value for name, value in fields.items()},
    }
