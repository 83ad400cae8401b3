"""The one-click unsubscribe link: signed, limited in time, and never a 500 on an odd payload."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from notifications.preferences import (
    SALT,
    UNSUBSCRIBE_LINK_DAYS,
    UnexpectedPayload,
    read_unsubscribe_token,
    unsubscribe_token,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_link_works_for_months_then_expires():
    person = UserFactory()
    with time_machine.travel(timezone.now() - timedelta(days=UNSUBSCRIBE_LINK_DAYS - 1)):
        recent = unsubscribe_token(person, "reminder")
    assert read_unsubscribe_token(recent) == (person.pk, "reminder")
    with time_machine.travel(timezone.now() - timedelta(days=UNSUBSCRIBE_LINK_DAYS + 1)):
        old = unsubscribe_token(person, "reminder")
    with pytest.raises(signing.SignatureExpired):
        read_unsubscribe_token(old)


@pytest.mark.parametrize(
    "payload",
    [
        ["u", "c"],
        "reminder",
        42,
        None,
        {"c": "reminder"},
        {"u": "12", "c": "reminder"},
        {"u": True, "c": "reminder"},
        {"u": 1, "c": "account"},  # essential e-mails cannot be turned off
        {"u": 1},
    ],
)
def test_a_well_signed_token_with_an_unexpected_payload_is_refused(payload, client):
    token = signing.dumps(payload, salt=SALT, compress=True)
    with pytest.raises(UnexpectedPayload):
        read_unsubscribe_token(token)
    # Not an unsubscribe link: no page (404), for a GET and for a mail client's one-click POST.
    url = reverse("unsubscribe", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404


@pytest.mark.parametrize("how", ["expired", "foreign", "tampered"])
def test_an_expired_or_badly_signed_link_gets_a_page_that_says_so(how, client):
    person = UserFactory()
    if how == "expired":
        with time_machine.travel(timezone.now() - timedelta(days=UNSUBSCRIBE_LINK_DAYS + 1)):
            token = unsubscribe_token(person, "reminder")
    elif how == "foreign":
        token = signing.dumps({"u": person.pk, "c": "reminder"}, salt="other", compress=True)
    else:
        token = unsubscribe_token(person, "reminder")[:-3] + "abc"
    response = client.get(reverse("unsubscribe", args=[token]))
    assert response.status_code == 400
    expected = "n'est plus valable" if how == "expired" else "n'est pas valide"
    assert expected in response.content.decode()
