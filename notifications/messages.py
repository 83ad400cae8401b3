"""What each kind of delivery is: whether it still applies, when it is due, what it says.

Kinds register themselves here: the engine's own (`onboarding_step`; "message", an e-mail rendered
when it was planned: confirmations, account e-mails) and the domains' (the agenda's reminders and
follow-ups), from their `handlers` at start-up.
"""

from django.template import Context
from django.template.loader import get_template, render_to_string

# What `deliveries_send` loads with each row, so that a batch runs a fixed number of queries.
RELATED = [
    "recipient__notification_preference",
    "reminder",
    "run__person",
    "run__sequence",
    "step",
]

KINDS = {}


class Kind:
    def load(self, deliveries):
        """Load what a batch of rows is about (from their `about` keys), in a fixed number of
        queries, onto the rows themselves."""

    def skip_reason(self, delivery):
        """Why it must not be sent any more (a French sentence), or None."""
        return None

    def due_at(self, delivery):
        """When it is due now that things may have moved (None: as planned)."""
        return None

    def render(self, delivery):
        """The fields of its content, rendered at send time ({} when rendered at planning)."""
        return {}


def register(name):
    def decorator(cls):
        KINDS[name] = cls()
        return cls

    return decorator


register("message")(Kind)


def kind_of(delivery):
    return KINDS[delivery.kind]


def load(deliveries):
    """Let each kind load what its rows of the batch are about."""
    by_kind = {}
    for delivery in deliveries:
        by_kind.setdefault(delivery.kind, []).append(delivery)
    for kind, rows in by_kind.items():
        KINDS[kind].load(rows)


def skip_reason(delivery):
    return kind_of(delivery).skip_reason(delivery)


def due_at(delivery):
    return kind_of(delivery).due_at(delivery)


def render(delivery):
    return kind_of(delivery).render(delivery)


def _plain(name, context):
    """Text parts are not HTML: no escaping of apostrophes and ampersands."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(*, template, context):
    subject = " ".join(_plain(f"emails/{template}_subject.txt", context).split())
    text = _plain(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def content(*, template, context, attachments=()):
    """Render a template of `templates/emails/` into the content fields of a delivery."""
    subject, text, html = render_email(template=template, context=context)
    return {
        "subject": subject[:300],
        "text": text,
        "html": html,
        "attachments": [
            [name, data.decode() if isinstance(data, bytes) else data, mimetype]
            for name, data, mimetype in attachments
        ],
    }
