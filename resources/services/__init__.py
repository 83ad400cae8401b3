"""Writes on the library, one module per part (`library`, `requests`, `packs`). The library's
are also here, for the floors above that record readings and save resources."""

from .library import (
    NO_CONTENT,
    ResourceError,
    resource_read,
    resource_save,
    resource_version_add,
)

__all__ = [
    "NO_CONTENT",
    "ResourceError",
    "resource_read",
    "resource_save",
    "resource_version_add",
]
