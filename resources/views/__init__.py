"""Pages of the library (/ressources/), one module per part; each lists its own routes."""
