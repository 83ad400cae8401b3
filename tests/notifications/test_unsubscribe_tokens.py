"""The one-click unsubscribe link: signed, limited in time, and never a 500 on an odd payload."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from notifications.preferences import (
    SALT,
    UNSUBSCRIBE_LINK_DAYS,
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
def test_a_well_signed_token_with_an_unexpected_payload_is_refused(payload):
    token = signing.dumps(payload, salt=SALT, compress=True)
    with pytest.raises(signing.BadSignature):
        read_unsubscribe_token(token)
