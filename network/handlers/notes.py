"""How experience notes takes part in the floors below (see `core.hooks`)."""
