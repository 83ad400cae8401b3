"""The demo's e-mails, readable in its terminal.

Django's console backend writes each message's MIME source, whose bodies are base64: nobody can
read them. This one writes what a person reads: sender, recipients, subject, the text part and the
names of the attachments. The message is still built exactly as for SMTP (`message()`), so the
rest of the sending path (Delivery rows, the task, the states) is the same as in production.
"""

from django.core.mail.backends.console import EmailBackend

RULE = "-" * 79


def _attachment_names(message):
    names = []
    for attachment in message.attachments:
        if isinstance(attachment, tuple):  # (filename, content, mimetype)
            names.append(attachment[0] or "sans nom")
        else:  # a MIME part
            names.append(attachment.get_filename() or "sans nom")
    return names


def readable(message):
    """The text of `message` as a person reads it (French labels, as the platform speaks)."""
    lines = [f"De : {message.from_email}", f"À : {', '.join(message.to)}"]
    if message.cc:
        lines.append(f"Cc : {', '.join(message.cc)}")
    if message.reply_to:
        lines.append(f"Répondre à : {', '.join(message.reply_to)}")
    lines.append(f"Objet : {message.subject}")
    if getattr(message, "alternatives", None):
        lines.append("Version HTML : jointe")
    names = _attachment_names(message)
    if names:
        lines.append(f"Pièces jointes : {', '.join(names)}")
    lines += ["", message.body.rstrip(), RULE]
    return "\n".join(lines) + "\n"


class ConsoleEmailBackend(EmailBackend):
    """Django's console backend, writing each e-mail readably instead of its MIME source."""

    def write_message(self, message):
        message.message()  # built as for SMTP: a message that cannot be written fails here too
        self.stream.write(readable(message))
