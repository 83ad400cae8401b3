"""How mutual help (questions) takes part in the floors below (see `core.hooks`)."""
