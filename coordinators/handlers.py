"""What the register plugs into lower floors at start-up (see `core.hooks`): the coordinator
role of accounts, and the onboarding triggers, segments, conditions and variables of the
notifications engine."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import hooks as account_hooks
from notifications.registry import (
    CONDITIONS,
    SEGMENTS,
    TRIGGERS,
    VARIABLES,
    Condition,
    Segment,
    Trigger,
    Variable,
)

from . import selectors, services
from .models import CoordinatorProfile, Scheme, Tenure

ARRIVAL = "arrival"
ACTIVATION = "activation"


@account_hooks.coordinator_status.connect
def coordinator_status(*, user):
    return CoordinatorProfile.objects.filter(user=user).values_list("status", flat=True).first()


@account_hooks.invitation_accepted.connect
def invitation_accepted(*, user, invitation):
    if invitation.role == invitation.Role.COORDINATOR:
        services.profile_activate(user=user, commune=invitation.commune, by=invitation.invited_by)


def _open_tenures(person):
    return Tenure.objects.filter(person=person, ended_on__isnull=True)


def _left_post(run):
    if not _open_tenures(run.person).exists():
        return "La personne a quitté son poste."
    return None


def _profile_complete(person):
    profile = CoordinatorProfile.objects.filter(user=person).first()
    if profile and profile.phone and profile.background_id and profile.topics.exists():
        return "Profil déjà complet."
    return None


def _schemes(person):
    tenures = _open_tenures(person).prefetch_related("post__schemes__department")
    return [scheme for tenure in tenures for scheme in tenure.post.schemes.all()]


def _departments(person):
    return {scheme.department for scheme in _schemes(person)}


def _peers_nearby(person):
    """Up to three coordinators in post for two years or more, in the person's départements."""
    peers = (
        Tenure.objects.filter(
            ended_on__isnull=True,
            started_on__lte=timezone.localdate() - timedelta(days=365 * 2),
            post__schemes__department__in=_departments(person),
        )
        .exclude(person=person)
        .select_related("person")
        .distinct()
        .order_by("started_on")[:3]
    )
    names = [tenure.person.get_full_name() for tenure in peers if tenure.person]
    return ", ".join(names) or "l'équipe vous mettra en relation"


TRIGGERS.register(ARRIVAL, Trigger("Arrivée sur un poste", stop_reason=_left_post))
TRIGGERS.register(ACTIVATION, Trigger("Activation du compte"))
for value, label in Scheme.Kind.choices:
    SEGMENTS.register(value, Segment(label))
CONDITIONS.register(
    "profile_incomplete",
    Condition("Seulement si le profil est incomplet", skip_reason=_profile_complete),
)
VARIABLES.register(
    "dispositifs",
    Variable(
        "les dispositifs de son poste (ex. « CLS de Bobigny »)",
        lambda person: ", ".join(str(s) for s in _schemes(person)) or "votre dispositif",
    ),
)
VARIABLES.register(
    "departement",
    Variable(
        "le département de son poste",
        lambda person: (
            ", ".join(sorted(d.name for d in _departments(person))) or "votre département"
        ),
    ),
)
VARIABLES.register(
    "lien_profil",
    Variable("le lien vers son profil", lambda person: settings.SITE_URL + reverse("profile")),
)
VARIABLES.register(
    "coordinateurs_en_poste",
    Variable(
        "le nombre de coordinateur·rices en poste dans la région (ex. « 179 »)",
        lambda person: str(selectors.coordinators_in_post_count()),
    ),
)
VARIABLES.register(
    "pairs_proches",
    Variable("des coordinateur·rices expérimenté·es du même département", _peers_nearby),
)
