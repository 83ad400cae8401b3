"""How the peer network takes part in the floors below (see `core.hooks`)."""

from django import forms

from competencies.models import Competency
from coordinators import hooks as coordinator_hooks
from coordinators.models import Topic
from core.widgets import SearchSelectMultiple

from . import services
from .models import PeerProfile

# (field, label, queryset of the choices, under which free text)
PEER_FIELDS = [
    ("offered_competencies", "Je peux aider sur (compétences)", "competencies", "can_help_with"),
    ("offered_topics", "Je peux aider sur (thèmes)", "topics", "can_help_with"),
    ("sought_competencies", "Je recherche (compétences)", "competencies", "looking_for"),
    ("sought_topics", "Je recherche (thèmes)", "topics", "looking_for"),
]


def _choices(kind, chosen):
    """Active competencies (and those already chosen, kept though deactivated), or topics."""
    if kind == "topics":
        return Topic.objects.all()
    return Competency.objects.filter(is_active=True) | Competency.objects.filter(pk__in=chosen)


@coordinator_hooks.profile_form.connect
def profile_form(*, form):
    """What the coordinator offers and looks for, chosen among competencies and topics."""
    peer = PeerProfile.objects.filter(person_id=form.instance.user_id).first()
    for name, label, kind, under in PEER_FIELDS:
        chosen = [item.pk for item in getattr(peer, name).all()] if peer else []
        form.fields[name] = forms.ModelMultipleChoiceField(
            label=label,
            queryset=_choices(kind, chosen).distinct(),
            required=False,
            initial=chosen,
            widget=SearchSelectMultiple,
            error_messages={
                "invalid_choice": "Choisissez dans la liste : « %(value)s » n'y est pas.",
                "invalid_pk_value": "Choisissez dans la liste : « %(pk)s » n'y est pas.",
            },
        )
        form.extra_fields[under].append(name)


@coordinator_hooks.profile_saved.connect
def profile_saved(*, profile, data):
    if not any(name in data for name, *_ in PEER_FIELDS):
        return
    services.peer_offers_set(
        person=profile.user, **{name: data.get(name) for name, *_ in PEER_FIELDS}
    )
