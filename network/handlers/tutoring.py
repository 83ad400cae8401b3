"""How tutoring takes part in the floors below (see `core.hooks`): the onboarding condition
"only without a tutor" of the notifications engine."""

from notifications.registry import CONDITIONS, Condition

from ..selectors.tutoring import has_tutor

NO_TUTOR = "no_tutor"


def _has_a_tutor(person):
    if has_tutor(person):
        return "A déjà un·e tuteur·rice."
    return None


CONDITIONS.register(NO_TUTOR, Condition("Seulement sans tuteur·rice", skip_reason=_has_a_tutor))
