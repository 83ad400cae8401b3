"""Reads on requests for resources distributed on request (the Boussole).

The library's pages call the two functions below (their names and arguments are the interface;
the requests part fills them)."""


def may_open(resource, *, access, person) -> bool:
    """Whether `person` may open the content of `resource` when it is distributed on request
    (the team always; others once their request for the digital file was sent)."""
    return True


def resource_page_block(resource, *, access, person):
    """What the resource's page shows of requests (the person's request and its state, or the
    form to ask; counts for the team), or None when the resource is not on request. Rendered by
    `templates/resources/requests/_block.html` with the name `block`."""
    return None
