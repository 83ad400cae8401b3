"""How tutoring takes part in the floors below (see `core.hooks`): the onboarding condition
"only without a tutor" of the notifications engine; a pathway joined by someone with an active
tutor has its tutoring steps done."""

from learning import hooks as learning_hooks
from notifications.registry import CONDITIONS, Condition

from ..models.tutoring import TutoringPair
from ..selectors.tutoring import has_tutor
from ..services.tutoring import pathway_tutoring_steps_complete

NO_TUTOR = "no_tutor"


def _has_a_tutor(person):
    if has_tutor(person):
        return "A déjà un·e tuteur·rice."
    return None


CONDITIONS.register(NO_TUTOR, Condition("Seulement sans tuteur·rice", skip_reason=_has_a_tutor))


@learning_hooks.pathway_joined.connect
def pathway_joined(*, enrolment):
    pair = TutoringPair.objects.filter(
        newcomer_id=enrolment.person_id,
        status__in=[TutoringPair.Status.ACTIVE, TutoringPair.Status.ENDED],
    ).first()
    if pair:
        pathway_tutoring_steps_complete(pair)
