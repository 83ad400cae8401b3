"""The one way a lower floor lets higher ones take part, without importing them.

A lower app declares a `Hook` (something happened: attendance was recorded, a resource was
opened, an invitation was accepted) or a `Registry` (named things it needs: kinds of reminder,
onboarding conditions and variables, lines for an object's page). Higher apps connect to them in
their `AppConfig.ready()`, through their `handlers.py`. Handlers run in the caller's transaction,
in the order they were connected; an error in one propagates (no silent failure).

Django signals are not used for business rules: a hook is declared, documented and searched for
like any function, and nothing is connected by import side effects elsewhere.
"""

from collections.abc import Callable
from dataclasses import dataclass


class Hook:
    """Something that happened on a lower floor, to which higher floors may react."""

    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc
        self._handlers: list[Callable] = []

    def connect(self, handler: Callable) -> Callable:
        """Register `handler` (usable as a decorator); connecting twice is a no-op."""
        if handler not in self._handlers:
            self._handlers.append(handler)
        return handler

    def send(self, **kwargs) -> list:
        """Call every handler with keyword arguments; returns their results, in order."""
        return [handler(**kwargs) for handler in self._handlers]

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._handlers)} handler(s)>"


class Registry:
    """Named entries a lower floor needs and higher floors provide (codes are unique)."""

    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc
        self._entries: dict = {}

    def register(self, code: str, entry):
        if code in self._entries and self._entries[code] != entry:
            raise ValueError(f"{self.name}: « {code} » is already registered")
        self._entries[code] = entry
        return entry

    def get(self, code, default=None):
        return self._entries.get(code, default)

    def __getitem__(self, code):
        return self._entries[code]

    def __contains__(self, code):
        return code in self._entries

    def __iter__(self):
        return iter(self._entries)

    def items(self):
        return self._entries.items()

    def values(self):
        return self._entries.values()

    def choices(self):
        """(code, label) pairs for a form, for entries that have a `label`."""
        return [(code, entry.label) for code, entry in self._entries.items()]

    def label(self, code):
        entry = self._entries.get(code)
        return entry.label if entry is not None else code


@dataclass(frozen=True)
class Fact:
    """A line a higher floor adds to a lower floor's page (label, text, optional link)."""

    label: str
    text: str
    url: str = ""
