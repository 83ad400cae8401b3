"""Which categories of e-mails a person turned off, and the signed one-click unsubscribe link."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import ESSENTIAL, Category, Preference

SALT = "notifications.unsubscribe"
# An e-mail's one-click link works this long: long enough for an old e-mail, not for ever.
UNSUBSCRIBE_LINK_DAYS = 400

OPTIONAL = [category for category in Category if category not in ESSENTIAL]


def unsubscribe_token(user, category):
    return signing.dumps({"u": user.pk, "c": str(category)}, salt=SALT, compress=True)


def unsubscribe_url(user, category):
    return settings.SITE_URL + reverse("unsubscribe", args=[unsubscribe_token(user, category)])


class UnexpectedPayload(ValueError):
    """A token signed with our key that does not say what an unsubscribe link says."""


def read_unsubscribe_token(token):
    """(user id, category) of a valid token. Raises signing.BadSignature for a token we did not
    sign or one older than UNSUBSCRIBE_LINK_DAYS (SignatureExpired, a subclass), and
    UnexpectedPayload for a well-signed token that names no person and optional category."""
    data = signing.loads(token, salt=SALT, max_age=timedelta(days=UNSUBSCRIBE_LINK_DAYS))
    if not isinstance(data, dict) or data.get("c") not in OPTIONAL:
        raise UnexpectedPayload(token)
    if not isinstance(data.get("u"), int) or isinstance(data["u"], bool):
        raise UnexpectedPayload(token)
    return data["u"], data["c"]


def muted_categories(user):
    preference = Preference.objects.filter(user=user).first()
    return set(preference.muted) if preference else set()


def is_muted(delivery):
    """Whether the recipient turned off the delivery's category (preference loaded with it)."""
    try:
        preference = delivery.recipient.notification_preference
    except Preference.DoesNotExist:
        return False
    return delivery.category in preference.muted
