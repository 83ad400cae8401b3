"""What a person chooses to receive: the categories they turn off (their page, or the one-click
link of an e-mail). Turning onboarding off also stops the sequences that accompany them."""

from .models import Category, Preference
from .onboarding import sequences_stop
from .preferences import OPTIONAL


def preferences_update(*, user, muted):
    """Save the categories a person turned off; turning onboarding off stops its sequences."""
    muted = sorted(set(muted) & set(OPTIONAL))
    Preference.objects.update_or_create(user=user, defaults={"muted": muted})
    if Category.ONBOARDING in muted:
        sequences_stop(person=user, reason="La personne a désactivé les e-mails d'accompagnement.")
    return muted
