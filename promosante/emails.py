"""Send the platform's e-mails now, through the delivery log (see `notifications`)."""

import uuid

from notifications import messages, services


def send_email_on_commit(
    *, to, template, context, attachments=(), category="account", key=None, **about
):
    """The one function through which the platform e-mails someone now.

    The message is rendered now and recorded as a `Delivery` in the caller's transaction; a worker
    sends it once the transaction commits (nothing is sent if it rolls back). `attachments` are
    (filename, content, mimetype) triples, such as an event's `.ics`; `about` names the objects it
    is about (recipient, event, registration).
    """
    return services.delivery_plan(
        key=key or f"{template}:{uuid.uuid4().hex}",
        category=category,
        kind="message",
        email=to,
        content=messages.content(template=template, context=context, attachments=attachments),
        **about,
    )
