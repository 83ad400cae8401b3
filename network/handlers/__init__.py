"""How the peer network takes part in the floors below (see `core.hooks`), one module per part."""

from . import notes, profile, questions, tutoring  # noqa: F401
