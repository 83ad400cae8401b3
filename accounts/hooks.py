"""What accounts lets higher floors take part in (see `core.hooks`)."""

from core.hooks import Hook

coordinator_status = Hook(
    "coordinator_status",
    """handler(user) -> "approved", "pending" or None: whether an account without organisation
    belongs to a coordinator, and whether staff approved it (the register answers).""",
)

invitation_accepted = Hook(
    "invitation_accepted",
    """handler(user, invitation): an invited person created their account (coordinators get
    their profile and their welcome sequence).""",
)
