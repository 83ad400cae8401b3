"""The library's models, one module per part: the library itself (resources, their versions and
readings), requests for resources distributed on request (the Boussole), and packs shared with
elected officials and managers. Import a part's models from its module
(`resources.models.requests`); the library's are also here."""

from . import packs, requests  # noqa: F401 - registers their models
from .library import Resource, ResourceRead

__all__ = ["Resource", "ResourceRead"]
