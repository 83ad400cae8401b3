"""What the library lets higher floors take part in (see `core.hooks`)."""

from core.hooks import Hook

resource_read = Hook(
    "resource_read",
    """handler(resource, person): a person opened a resource's content for the first time or
    again; learning completes the pathway steps that propose it.""",
)

resource_facts = Hook(
    "resource_facts",
    """handler(resources) -> {resource id: [core.hooks.Fact]}: lines a higher floor adds to the
    library's pages (the offers a resource belongs to), for many resources in one query.""",
)
