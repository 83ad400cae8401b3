"""People of tutoring: a newcomer and experienced coordinators, each in post on one scheme."""

from datetime import date, timedelta

from coordinators.models import Scheme
from network.models import PeerProfile

from .directory_factories import person_in_post

TODAY = date.today()


def newcomer(**fields):
    """A CLSM coordinator of Saint-Denis (93) who arrived two months ago."""
    fields = {
        "first_name": "Awa",
        "last_name": "Diallo",
        "kind": Scheme.Kind.CLSM,
        "started_on": TODAY - timedelta(days=60),
        **fields,
    }
    return person_in_post(**fields).user


def tutor(capacity=1, *, years=6, shows=("seniority",), **fields):
    """An experienced CLSM coordinator (in post for `years` years) who accepts `capacity`
    newcomers; Val-d'Oise (95, a neighbour of 93) unless told otherwise."""
    fields = {
        "first_name": "Julien",
        "last_name": "Moreau",
        "kind": Scheme.Kind.CLSM,
        "commune_code": "95585",
        "department_code": "95",
        "started_on": TODAY - timedelta(days=365 * years + 10),
        "shows": shows,
        **fields,
    }
    user = person_in_post(**fields).user
    PeerProfile.objects.update_or_create(person=user, defaults={"tutoring_capacity": capacity})
    return user
