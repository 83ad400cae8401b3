"""How the peer network takes part in the floors below (see `core.hooks`)."""

from django import forms

from competencies.models import Competency
from coordinators import hooks as coordinator_hooks
from coordinators.models import Topic
from core.widgets import SearchSelectMultiple

from .. import services
from ..models import PeerProfile

MAX_TUTORING_CAPACITY = 5
EXCHANGE_FIELDS = ["accepts_messages", "tutoring_capacity", "question_alerts"]

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

    _exchange_fields(form, peer)


def _exchange_fields(form, peer):
    """How the person takes part in exchanges: messages, tutoring, questions of peers."""
    peer = peer or PeerProfile()
    form.fields["accepts_messages"] = forms.BooleanField(
        label="Les pairs peuvent m’écrire par la plateforme",
        required=False,
        initial=peer.accepts_messages,
        help_text="Le message vous parvient par e-mail ; votre adresse reste cachée tant "
        "que vous ne répondez pas.",
    )
    form.fields["tutoring_capacity"] = forms.IntegerField(
        label="Nouveaux·elles coordinateur·rices que j’accepte d’accompagner (tutorat)",
        min_value=0,
        max_value=MAX_TUTORING_CAPACITY,
        required=False,
        initial=peer.tutoring_capacity,
        help_text="0 si vous ne souhaitez pas être tuteur·rice. Le tutorat est proposé aux "
        "personnes en poste depuis au moins 3 ans.",
        error_messages={
            "min_value": "Indiquez 0 ou un nombre positif.",
            "max_value": "Indiquez au plus %(limit_value)s personnes.",
            "invalid": "Indiquez un nombre entier, par exemple 1.",
        },
    )
    form.fields["question_alerts"] = forms.ChoiceField(
        label="Les questions de pairs sur ce que je peux apporter m’arrivent",
        choices=PeerProfile.QuestionAlerts.choices,
        required=False,
        initial=peer.question_alerts,
        widget=forms.RadioSelect,
    )
    form.extra_fields["exchanges"] += EXCHANGE_FIELDS


@coordinator_hooks.profile_saved.connect
def profile_saved(*, profile, data):
    if any(name in data for name, *_ in PEER_FIELDS):
        services.peer_offers_set(
            person=profile.user, **{name: data.get(name) for name, *_ in PEER_FIELDS}
        )
    # An empty number or choice (a form posted without them) keeps what was set.
    exchanges = {name: data[name] for name in EXCHANGE_FIELDS if data.get(name) not in (None, "")}
    if exchanges:
        services.peer_exchanges_set(person=profile.user, **exchanges)
