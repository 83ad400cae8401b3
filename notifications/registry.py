"""What the domains teach the engine, at start-up (see `core.hooks`).

The engine knows deliveries, timing rules, sequences, preferences and sending; it never imports a
domain. The domains register here:

- `REMINDER_KINDS`: what reminder rules apply to (the agenda's event kinds) and how to re-plan
  what is pending when staff change a rule;
- `TRIGGERS`: what starts an onboarding sequence (an arrival on a post, an account activated) and
  when a run must stop (the person left their post);
- `SEGMENTS`: who a sequence may be for (the scheme types);
- `CONDITIONS`: why a step may be skipped when it is due (already registered to a welcome day);
- `VARIABLES`: what a step's text may say about the person (`{prenom}`, `{pairs_proches}`);
- `TOPICS`: where the staff pages link what a delivery is about ("event:42" → the event's page).
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.hooks import Registry


@dataclass(frozen=True)
class ReminderKind:
    label: str
    # Called after staff add, change or remove a rule of this kind: re-plan what is pending.
    replan: Callable[[], None]


@dataclass(frozen=True)
class Trigger:
    label: str
    # Why a running sequence of this trigger must stop now (a French sentence), or None.
    stop_reason: Callable | None = None


@dataclass(frozen=True)
class Segment:
    label: str


@dataclass(frozen=True)
class Condition:
    label: str
    # Why the step must not be sent to this person now (a French sentence), or None.
    skip_reason: Callable


@dataclass(frozen=True)
class Variable:
    description: str
    # The text that replaces `{name}` for this person (plain text, never markup).
    value: Callable


REMINDER_KINDS = Registry("reminder kinds")
TRIGGERS = Registry("onboarding triggers")
SEGMENTS = Registry("sequence segments")
CONDITIONS = Registry("step conditions")
VARIABLES = Registry("text variables")
TOPICS = Registry("delivery topics")


@dataclass(frozen=True)
class Topic:
    label: str
    # The page of the object, from its id (as a string).
    url: Callable[[str], str]


def topic_url(topic):
    """The page of what a delivery is about, when its domain registered one ("" otherwise)."""
    name, _, pk = topic.partition(":")
    entry = TOPICS.get(name)
    return entry.url(pk) if entry and pk.isdigit() else ""
