"""The demo prints its e-mails readably in the terminal (subject, sender, recipients, the text
part decoded), not as base64 MIME source; the message is still built as for SMTP."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import get_connection

from notifications.backends import ConsoleEmailBackend
from notifications.mime import PreparedEmail

ROOT = Path(__file__).resolve().parents[2]


def message():
    email = PreparedEmail(
        subject="Rappel : « Webinaire » demain à 14 h",
        body="Bonjour Élodie,\n\nLe webinaire « Santé mentale » commence demain à 14 h.",
        from_email="PromoSanté <noreply@exemple.fr>",
        to=["elodie.muller@exemple.fr"],
        reply_to=["equipe@exemple.fr"],
        headers={"Message-ID": "<1@exemple.fr>"},
    )
    email.attach_alternative("<p>Bonjour Élodie,</p>", "text/html")
    email.attach("webinaire.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return email


def test_the_console_backend_writes_what_a_person_reads():
    stream = io.StringIO()
    sent = ConsoleEmailBackend(stream=stream).send_messages([message()])
    assert sent == 1
    out = stream.getvalue()
    assert "Objet : Rappel : « Webinaire » demain à 14 h" in out
    assert "De : PromoSanté <noreply@exemple.fr>" in out
    assert "À : elodie.muller@exemple.fr" in out
    assert "Répondre à : equipe@exemple.fr" in out
    assert "Le webinaire « Santé mentale » commence demain à 14 h." in out
    assert "Pièces jointes : webinaire.ics" in out
    assert "Version HTML : jointe" in out
    assert "base64" not in out and "Content-Transfer-Encoding" not in out


def test_a_message_that_cannot_be_written_fails_as_with_smtp():
    broken = PreparedEmail(subject="Objet", body="Texte", to=["a@exemple.fr"])
    broken.attach("données.bin", 12, "application/octet-stream")  # not bytes: cannot be written
    with pytest.raises(Exception):  # noqa: B017 - whatever the MIME writer raises
        ConsoleEmailBackend(stream=io.StringIO()).send_messages([broken])


def test_the_demo_settings_use_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)"],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "promosante.settings.local",
            "VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    backend = result.stdout.strip().splitlines()[-1]
    assert backend == "notifications.backends.ConsoleEmailBackend"
    assert isinstance(get_connection(backend), ConsoleEmailBackend)
