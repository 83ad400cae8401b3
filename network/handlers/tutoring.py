"""How tutoring takes part in the floors below (see `core.hooks`)."""
