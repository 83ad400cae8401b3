"""A real SMTP server for the integration tests: aiosmtpd in a thread of the test process.

It records every message it accepts (Message-ID, recipients, subject, raw bytes, time) and can
misbehave for a while, then recover: answer 451 to the next messages (`refuse`), or stop
listening altogether (`go_away` / `come_back`, on the same port).
"""

import logging
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

# aiosmtpd logs every command at INFO: too much for a test log.
logging.getLogger("mail.log").setLevel(logging.WARNING)

REFUSAL = "451 4.3.0 Service temporarily unavailable, try again later"


@dataclass(frozen=True)
class Received:
    message_id: str
    to: tuple[str, ...]
    subject: str
    raw: bytes
    at: float  # time.time() when accepted


def free_port(host="127.0.0.1"):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        return self.sink._receive(envelope)


class SmtpSink:
    def __init__(self, host="127.0.0.1", port=None):
        self.host = host
        self.port = port or free_port(host)
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._refusals_left = 0  # -1: until `accept()`
        self._refusal = REFUSAL
        self.refused: list[float] = []  # when each refused message came
        self._controller = None

    # --- Running ---------------------------------------------------------------------------

    def start(self):
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def go_away(self):
        """Stop listening: clients get "connection refused" until `come_back()`."""
        self.stop()

    def come_back(self):
        self.start()

    def refuse(self, times=None, reply=REFUSAL):
        """Answer `reply` (a 4xx) to the next `times` messages, or to all until `accept()`."""
        with self._lock:
            self._refusals_left = -1 if times is None else times
            self._refusal = reply

    def accept(self):
        with self._lock:
            self._refusals_left = 0

    def _receive(self, envelope):
        with self._lock:
            if self._refusals_left:
                self._refusals_left -= 1 if self._refusals_left > 0 else 0
                self.refused.append(time.time())
                return self._refusal
            headers = BytesHeaderParser(policy=default_policy).parsebytes(envelope.content)
            self._received.append(
                Received(
                    message_id=str(headers.get("Message-ID", "")),
                    to=tuple(envelope.rcpt_tos),
                    subject=str(headers.get("Subject", "")),
                    raw=envelope.content,
                    at=time.time(),
                )
            )
        return "250 2.0.0 Message accepted for delivery"

    # --- What it received ------------------------------------------------------------------

    @property
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def count(self):
        with self._lock:
            return len(self._received)

    def message_ids(self) -> Counter:
        """How many times each Message-ID arrived."""
        return Counter(message.message_id for message in self.messages)

    def with_id(self, message_id) -> list[Received]:
        return [message for message in self.messages if message.message_id == message_id]

    def clear(self):
        with self._lock:
            self._received.clear()
            self.refused.clear()
