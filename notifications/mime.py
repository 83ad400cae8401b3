"""A fast MIME writer for the platform's e-mails.

The standard library's generator spends most of its time re-encoding headers (about 1.2 ms a
message, more than the SMTP exchange); ours have a known shape, so each header is encoded once
and each body part is base64 (C speed). `PreparedEmail` is a Django `EmailMultiAlternatives`
whose `message()` returns these bytes: every mail backend (SMTP, console, locmem) takes it, and
tests still read `subject`, `body`, `alternatives`, `attachments` and `extra_headers`.

tests/notifications/test_mime.py proves with Hypothesis that every message it writes parses back
to the same headers, body and attachments as Django's own, for any Unicode names, subjects and
bodies. Two deliberate differences: a header value containing a line break is joined on one line
(Django refuses it; a person's text must never add a header), and what falls outside the known
shape (an attachment whose name needs RFC 2231, text given for a binary type) is written by the
standard library.
"""

import base64
import uuid
from email.policy import compat32
from email.utils import formatdate
from functools import lru_cache

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import forbid_multi_line_headers

CRLF = b"\r\n"


# Headers are encoded as Django encodes them and folded as the standard library folds them (the
# compat32 policy Django's messages use), with CRLF; each distinct line is computed once.
FOLDING = compat32.clone(linesep="\r\n")


def _one_line(value):
    """A header value never makes a header of its own (Django refuses a line break)."""
    return " ".join(value.split()) if "\n" in value or "\r" in value else value


@lru_cache(maxsize=4096)
def _header(name, value):
    _, value = forbid_multi_line_headers(name, _one_line(value), "utf-8")
    return FOLDING.fold(name, value)


SAFE_FILENAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def _known_shape(attachments):
    """Attachments we write ourselves: a plain file name; text only for text types."""
    return all(
        filename
        and set(filename) <= SAFE_FILENAME
        and (isinstance(data, bytes) or mimetype.startswith("text/"))
        for filename, data, mimetype in attachments
    )


def _part(content_type, text, disposition=None):
    lines = [f"Content-Type: {content_type}", "Content-Transfer-Encoding: base64"]
    if disposition:
        lines.append(f"Content-Disposition: {disposition}")
    data = text.encode() if isinstance(text, str) else text
    body = base64.encodebytes(data).replace(b"\n", CRLF)
    return "\r\n".join(lines).encode() + CRLF + CRLF + body


def _multipart(subtype, parts):
    boundary = f"=_{uuid.uuid4().hex}"
    head = f'Content-Type: multipart/{subtype}; boundary="{boundary}"'.encode()
    delimiter = f"--{boundary}".encode()
    body = b"".join(delimiter + CRLF + part + CRLF for part in parts)
    return head + CRLF + CRLF + body + delimiter + b"--" + CRLF


class PreparedMessage:
    """What mail backends expect from `EmailMessage.message()`, for bytes already written."""

    def __init__(self, data):
        self._data = data

    def as_bytes(self, unixfrom=False, linesep="\n"):
        return self._data if linesep == "\r\n" else self._data.replace(CRLF, linesep.encode())

    def as_string(self, unixfrom=False, linesep="\n"):
        return self.as_bytes(linesep=linesep).decode("ascii")

    def get_charset(self):
        return None


class PreparedEmail(EmailMultiAlternatives):
    def message(self):
        if not _known_shape(self.attachments):
            self.subject = _one_line(self.subject)
            self.extra_headers = {k: _one_line(v) for k, v in self.extra_headers.items()}
            return super().message()
        text = _part('text/plain; charset="utf-8"', self.body)
        html = [content for content, mimetype in self.alternatives if mimetype == "text/html"]
        content = (
            _multipart("alternative", [text, _part('text/html; charset="utf-8"', html[0])])
            if html
            else text
        )
        if self.attachments:
            files = [
                _part(
                    f'{mimetype}; charset="utf-8"; name="{filename}"'
                    if isinstance(data, str)
                    else f'{mimetype}; name="{filename}"',
                    data,
                    f'attachment; filename="{filename}"',
                )
                for filename, data, mimetype in self.attachments
            ]
            content = _multipart("mixed", [content, *files])
        head = "".join(
            [
                _header("Subject", self.subject),
                _header("From", self.extra_headers.get("From", self.from_email)),
                _header("To", ", ".join(self.to)),
                f"Date: {formatdate(localtime=True)}\r\n",
                "MIME-Version: 1.0\r\n",
                *(
                    _header(name, value)
                    for name, value in self.extra_headers.items()
                    if name.lower() != "from"
                ),
            ]
        )
        return PreparedMessage(head.encode("ascii") + content)
