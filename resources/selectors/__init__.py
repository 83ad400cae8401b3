"""Reads on the library, one module per part (`library`, `requests`, `packs`)."""
