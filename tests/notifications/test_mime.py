"""The fast MIME writer (`notifications.mime`) replaces the standard library's generator: every
message it writes must parse back to the same headers, body and attachments as Django's own
`EmailMultiAlternatives` with the same content, whatever the names, subjects and bodies."""

from email import message_from_bytes, policy
from email.utils import formataddr

from django.core.mail import EmailMultiAlternatives
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications.mime import PreparedEmail

# Any Unicode a person or a staff member may type (no surrogates: they cannot be encoded).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=3000)
LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200)
LONG_ASCII = st.text(
    st.characters(min_codepoint=32, max_codepoint=126), min_size=900, max_size=2000
)
NAME = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)
ADDRESS = st.from_regex(
    r"[a-z0-9][a-z0-9._-]{0,20}@[a-z0-9-]{1,20}\.(fr|org|example)", fullmatch=True
)
FILENAME = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,30}\.(ics|pdf|txt)", fullmatch=True)
ATTACHMENT = st.tuples(
    FILENAME,
    st.one_of(TEXT, st.binary(max_size=2000)),
    st.sampled_from(["text/calendar", "text/plain", "application/pdf"]),
)


def _newlines(text):
    """SMTP carries text in canonical form: CRLF, CR and LF all end a line."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parsed(message):
    return message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=policy.default)


def _content(part):
    data = part.get_content()
    return _newlines(data) if isinstance(data, str) else data


def _summary(message):
    """What a mail client shows: headers, text, HTML and attachments, decoded."""
    parsed = _parsed(message)
    html = parsed.get_body(("html",))
    text = parsed.get_body(("plain",))  # Django writes no text part for an empty body
    return {
        "subject": " ".join(parsed["Subject"].split()),
        "from": [(a.display_name, a.addr_spec) for a in parsed["From"].addresses],
        "to": [(a.display_name, a.addr_spec) for a in parsed["To"].addresses],
        "extra": {name: " ".join(parsed[name].split()) for name in ("Message-ID", "X-Sujet")},
        "text": _newlines(text.get_content()) if text is not None else "",
        "html": _newlines(html.get_content()) if html is not None else None,
        "attachments": [
            (a.get_filename(), a.get_content_type(), _content(a)) for a in parsed.iter_attachments()
        ],
    }


def _one_line(value):
    return " ".join(value.split()) if "\n" in value or "\r" in value else value


def _both(*, subject, body, html, sender, to, attachments, extra):
    """The same e-mail written by Django and by us. Django refuses a line break in a header; we
    join it on one line: Django's gets the joined value, ours the raw one."""
    messages = []
    for cls in (EmailMultiAlternatives, PreparedEmail):
        one_line = _one_line if cls is EmailMultiAlternatives else str
        message = cls(
            subject=one_line(subject),
            body=body,
            from_email=sender,
            to=to,
            headers={name: one_line(value) for name, value in extra.items()},
        )
        if html is not None:
            message.attach_alternative(html, "text/html")
        for filename, data, mimetype in attachments:
            message.attach(filename, data, mimetype)
        messages.append(message)
    return messages


def _attachment_views(summary):
    """Text attachments compare as text (newlines aside), others as bytes."""
    views = []
    for filename, content_type, content in summary["attachments"]:
        if isinstance(content, bytes):
            views.append((filename, content_type, content))
        else:
            views.append((filename, content_type, content.encode()))
    return views


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    subject=st.one_of(LINE, TEXT, LONG_ASCII),
    body=TEXT,
    html=st.one_of(st.none(), TEXT),
    sender_name=NAME,
    sender=ADDRESS,
    recipients=st.lists(st.tuples(NAME, ADDRESS), min_size=1, max_size=3),
    attachments=st.lists(ATTACHMENT, max_size=3),
    message_id=st.from_regex(r"<envoi-[0-9]{1,9}@reseau\.example>", fullmatch=True),
    topic=st.one_of(LINE, LONG_ASCII, TEXT),
)
def test_every_message_parses_back_like_django_s_own(
    subject, body, html, sender_name, sender, recipients, attachments, message_id, topic
):
    standard, fast = _both(
        subject=subject,
        body=body,
        html=html,
        sender=formataddr((sender_name, sender)),
        to=[formataddr(recipient) for recipient in recipients],
        attachments=attachments,
        extra={"Message-ID": message_id, "X-Sujet": topic},
    )
    expected, written = _summary(standard), _summary(fast)
    assert sorted(_parsed(fast).keys()) == sorted(_parsed(standard).keys())  # no header added
    assert _attachment_views(written) == _attachment_views(expected)
    del expected["attachments"], written["attachments"]
    assert written == expected


@settings(max_examples=100, deadline=None)
@given(subject=st.one_of(TEXT, LONG_ASCII), body=TEXT, topic=st.one_of(LINE, LONG_ASCII))
def test_no_line_is_longer_than_smtp_allows(subject, body, topic):
    """RFC 5321: 998 characters at most per line; headers are folded, bodies are base64."""
    message = PreparedEmail(
        subject=subject,
        body=body,
        from_email="reseau@promosante.example",
        to=["awa@mairie.example"],
        headers={"X-Sujet": topic},
    )
    raw = message.message().as_bytes(linesep="\r\n")
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
