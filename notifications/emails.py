"""The one way to e-mail someone now: through the delivery log."""

import uuid

from . import messages, services


def send_email_on_commit(
    *,
    to,
    template=None,
    context=None,
    content=None,
    attachments=(),
    category="account",
    key=None,
    recipient=None,
    about="",
    topic="",
    topic_label="",
    reply_to="",
):
    """Record an e-mail now and send it once the caller's transaction commits.

    The message is rendered from `templates/emails/<template>*` with `context` (or given ready as
    `content`: subject, text, html, as allauth renders its own) and recorded as a `Delivery` in the
    caller's transaction; a worker sends it after the commit (nothing is sent if it rolls back).
    `attachments` are (filename, content, mimetype) triples, such as an event's `.ics`; `about`
    and `topic` are "name:id" keys of what it is about, `topic_label` how the outbox shows it;
    `reply_to` the address a reply goes to (a person's, for a message they wrote).
    """
    if content is None:
        content = messages.content(template=template, context=context, attachments=attachments)
    return services.delivery_plan(
        key=key or f"{template or 'message'}:{uuid.uuid4().hex}",
        category=category,
        kind="message",
        email=to,
        recipient=recipient,
        content=content,
        about=about,
        topic=topic,
        topic_label=topic_label[:300],
        reply_to=reply_to,
    )
