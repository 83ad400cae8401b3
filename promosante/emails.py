"""Render and send the platform's own e-mails (text + HTML) after the transaction commits.

The notifications issue moves this onto Celery with a delivery log; callers keep this signature.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def render_email(*, template, context):
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def send_email_on_commit(*, to, template, context, attachments=()):
    """The one function through which the platform e-mails someone.

    `attachments` are (filename, content, mimetype) triples, such as an event's `.ics`.
    """
    subject, text, html = render_email(template=template, context=context)

    def send():
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
        )
        message.attach_alternative(html, "text/html")
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        message.send()

    transaction.on_commit(send)
