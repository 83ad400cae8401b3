"""What learning lets higher floors take part in (see `core.hooks`)."""

from core.hooks import Hook

pathway_joined = Hook(
    "pathway_joined",
    """handler(enrolment): a person joined a pathway, and what they already did (attendance,
    reading) completed its steps; a higher floor completes what it knows of (network: a tutoring
    step, when the person has an active tutor). Runs in the joining transaction.""",
)
